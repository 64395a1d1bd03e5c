using System.Collections;
using System.Text.Json.Nodes;
using GraphQLParser;
using GraphQLParser.AST;

namespace ShopifyReferral.Sandbox.GraphQL;

/// <summary>
/// Walks a selection set over a <see cref="GraphObject"/> and emits only the selected fields, under their
/// aliases, honouring inline fragments and named fragments by type condition. Counts the objects it
/// emits, which is the "actual" query cost Shopify reports next to the requested one.
/// </summary>
internal sealed class SelectionProjector(GraphQLDocument document, JsonObject variables)
{
    public JsonArray Errors { get; } = [];
    public int Objects { get; private set; }

    public JsonObject Project(GraphObject obj, GraphQLSelectionSet set, IReadOnlyList<object> path)
    {
        Objects++;
        var result = new JsonObject();
        foreach (var field in Fields(set, obj))
        {
            var name = field.Name.StringValue;
            var key = field.Alias?.Name.StringValue ?? name;
            if (result.ContainsKey(key)) continue;
            IReadOnlyList<object> fieldPath = [.. path, key];
            if (name == "__typename")
            {
                result[key] = obj.TypeName;
                continue;
            }
            if (!obj.TryGet(name, out var resolve))
            {
                Errors.Add(GraphQLErrors.UndefinedField(name, obj.TypeName, fieldPath));
                result[key] = null;
                continue;
            }
            try
            {
                result[key] = Value(resolve(new FieldArgs(field, variables)), field, fieldPath);
            }
            catch (GraphQLFieldException ex)
            {
                Errors.Add(GraphQLErrors.Field(ex.Message, ex.Code, fieldPath));
                result[key] = null;
            }
        }
        return result;
    }

    private JsonNode? Value(object? value, GraphQLField field, IReadOnlyList<object> path) => value switch
    {
        null => null,
        GraphObject obj when field.SelectionSet is { } set => Project(obj, set, path),
        GraphObject obj => throw new GraphQLFieldException(
            $"Field must have selections (field '{field.Name.StringValue}' returns {obj.TypeName} but has no selections. Did you mean '{field.Name.StringValue} {{ ... }}'?)",
            "selectionMismatch"),
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        decimal m => JsonValue.Create(m),
        DateTimeOffset t => JsonValue.Create(Scalars.DateTime(t)),
        JsonNode n => n.DeepClone(),
        IEnumerable list => new JsonArray([.. list.Cast<object?>().Select((item, i) => Value(item, field, [.. path, i]))]),
        _ => JsonValue.Create(value.ToString()),
    };

    /// <summary>Flattens fragments whose type condition matches the object's type.</summary>
    private IEnumerable<GraphQLField> Fields(GraphQLSelectionSet set, GraphObject obj)
    {
        foreach (var selection in set.Selections)
        {
            switch (selection)
            {
                case GraphQLField f:
                    yield return f;
                    break;
                case GraphQLInlineFragment inline
                    when inline.TypeCondition is null || obj.IsA(inline.TypeCondition.Type.Name.StringValue):
                    foreach (var f in Fields(inline.SelectionSet, obj)) yield return f;
                    break;
                case GraphQLFragmentSpread spread
                    when document.FindFragmentDefinition(spread.FragmentName.Name.Value) is { } def
                      && obj.IsA(def.TypeCondition.Type.Name.StringValue):
                    foreach (var f in Fields(def.SelectionSet, obj)) yield return f;
                    break;
            }
        }
    }
}
