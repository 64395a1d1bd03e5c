using System.Globalization;
using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Nodes;
using GraphQLParser;
using GraphQLParser.AST;

namespace ShopifyReferral.Sandbox.GraphQL;

/// <summary>
/// The input object types of Shopify's Admin schema, read from the SDL of the requested version (embedded; the
/// newest one stands in for a version the sandbox has no file for). With them the sandbox refuses variables as
/// Shopify does: a field the input type does not define, a required field left out or null, a non-object where an
/// input object belongs. Scalars and enum values are left to the resolvers.
/// </summary>
internal sealed class InputSchema
{
    private const string Prefix = "AdminSchema.shopify-admin-";
    private static readonly ConcurrentDictionary<string, Lazy<InputSchema>> Loaded = new();

    private readonly Dictionary<string, Dictionary<string, GraphQLType>> _inputs;

    private InputSchema(GraphQLDocument sdl) =>
        _inputs = sdl.Definitions.OfType<GraphQLInputObjectTypeDefinition>().ToDictionary(
            d => d.Name.StringValue,
            d => (d.Fields?.Items ?? []).ToDictionary(f => f.Name.StringValue, f => f.DefaultValue is null ? f.Type : Optional(f.Type)));

    /// <summary>The schema of <paramref name="version"/>, or of the newest version embedded; null when none is.</summary>
    public static InputSchema? For(string version)
    {
        var assembly = typeof(InputSchema).Assembly;
        var names = assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        var name = names.FirstOrDefault(n => n == $"{Prefix}{version}.graphql") ?? names.LastOrDefault();
        return name is null ? null : Loaded.GetOrAdd(name, n => new(() => Load(assembly, n))).Value;
    }

    private static InputSchema Load(Assembly assembly, string resource)
    {
        using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
        return new(Parser.Parse(reader.ReadToEnd(), new ParserOptions { Ignore = IgnoreOptions.All }));
    }

    /// <summary>One error per refused variable, worded as graphql-ruby (Shopify) words it.</summary>
    public IEnumerable<JsonObject> Check(GraphQLOperationDefinition operation, JsonObject variables)
    {
        foreach (var definition in operation.Variables?.Items ?? [])
        {
            var name = definition.Variable.Name.StringValue;
            var problems = new List<(List<string> Path, string Explanation)>();
            if (variables.TryGetPropertyValue(name, out var value) || definition.DefaultValue is null)
                Value(definition.Type, value, [], problems);
            if (problems.Count == 0) continue;
            var where = string.Join(", ", problems.Where(p => p.Path.Count > 0).Select(p => $"{string.Join('.', p.Path)} ({p.Explanation})"));
            yield return new JsonObject
            {
                ["message"] = $"Variable ${name} of type {Signature(definition.Type)} was provided invalid value" + (where.Length > 0 ? " for " + where : ""),
                ["extensions"] = new JsonObject
                {
                    ["value"] = value?.DeepClone(),
                    ["problems"] = new JsonArray([.. problems.Select(p => new JsonObject
                    {
                        ["path"] = new JsonArray([.. p.Path.Select(s => JsonValue.Create(s))]),
                        ["explanation"] = p.Explanation,
                    })]),
                },
            };
        }
    }

    private void Value(GraphQLType type, JsonNode? value, List<string> path, List<(List<string>, string)> problems)
    {
        if (value is null)
        {
            if (type is GraphQLNonNullType) problems.Add((path, "Expected value to not be null"));
            return;
        }
        var inner = type is GraphQLNonNullType n ? n.Type : type;
        if (inner is GraphQLListType list)
        {
            // A single value where a list is expected is coerced to a list of one, as the spec says.
            var items = value as JsonArray ?? [value.DeepClone()];
            for (var i = 0; i < items.Count; i++) Value(list.Type, items[i], [.. path, i.ToString(CultureInfo.InvariantCulture)], problems);
            return;
        }
        if (inner is not GraphQLNamedType named || !_inputs.TryGetValue(named.Name.StringValue, out var fields)) return;
        if (value is not JsonObject obj)
        {
            problems.Add((path, $"Expected {value.ToJsonString()} to be a key-value object."));
            return;
        }
        foreach (var (key, fieldValue) in obj)
        {
            if (fields.TryGetValue(key, out var fieldType)) Value(fieldType, fieldValue, [.. path, key], problems);
            else problems.Add(([.. path, key], $"Field is not defined on {named.Name.StringValue}"));
        }
        foreach (var (key, fieldType) in fields)
            if (fieldType is GraphQLNonNullType && !obj.ContainsKey(key))
                problems.Add(([.. path, key], "Expected value to not be null"));
    }

    /// <summary>A field with a default may be left out even when its type is non-null.</summary>
    private static GraphQLType Optional(GraphQLType type) => type is GraphQLNonNullType n ? n.Type : type;

    private static string Signature(GraphQLType type) => type switch
    {
        GraphQLNonNullType n => Signature(n.Type) + "!",
        GraphQLListType l => $"[{Signature(l.Type)}]",
        GraphQLNamedType t => t.Name.StringValue,
        _ => "?",
    };
}
