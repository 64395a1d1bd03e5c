using System.Globalization;
using System.Text.Json.Nodes;
using GraphQLParser.AST;

namespace ShopifyReferral.Sandbox.GraphQL;

/// <summary>A field's arguments with variables substituted, as JSON nodes (the same shape as the variables JSON).</summary>
internal sealed class FieldArgs(GraphQLField field, JsonObject variables)
{
    public JsonNode? this[string name] =>
        field.Arguments?.Items.FirstOrDefault(a => a.Name == name) is { } arg ? ToJson(arg.Value, variables) : null;

    public bool Has(string name) => field.Arguments?.Items.Any(a => a.Name == name) == true;

    public string? String(string name) => this[name]?.ToString();

    public int? Int(string name) => this[name] is JsonValue v && v.TryGetValue<long>(out var l) ? (int)l
        : this[name] is JsonValue s && int.TryParse(s.ToString(), CultureInfo.InvariantCulture, out var i) ? i : null;

    public bool? Bool(string name) => this[name] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null;

    /// <summary>A required argument; a missing one is the error graphql-ruby (Shopify) reports.</summary>
    public JsonNode Required(string name) => this[name] ?? throw new GraphQLFieldException(
        $"Field '{field.Name.StringValue}' is missing required arguments: {name}", "missingRequiredArguments");

    public static JsonNode? ToJson(GraphQLValue value, JsonObject variables) => value switch
    {
        GraphQLVariable v => variables[v.Name.StringValue]?.DeepClone(),
        GraphQLNullValue => null,
        GraphQLBooleanValue b => JsonValue.Create(b.BoolValue),
        GraphQLIntValue i => JsonValue.Create(long.Parse(i.Value.Span, CultureInfo.InvariantCulture)),
        GraphQLFloatValue f => JsonValue.Create(decimal.Parse(f.Value.Span, NumberStyles.Float, CultureInfo.InvariantCulture)),
        GraphQLStringValue s => JsonValue.Create(s.Value.ToString()),
        GraphQLEnumValue e => JsonValue.Create(e.Name.StringValue),
        GraphQLListValue l => new JsonArray([.. (l.Values ?? []).Select(x => ToJson(x, variables))]),
        GraphQLObjectValue o => new JsonObject((o.Fields ?? []).Select(f =>
            KeyValuePair.Create(f.Name.StringValue, ToJson(f.Value, variables)))),
        _ => null,
    };
}
