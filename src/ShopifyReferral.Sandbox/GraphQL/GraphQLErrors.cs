using System.Text.Json.Nodes;

namespace ShopifyReferral.Sandbox.GraphQL;

/// <summary>The <c>errors[]</c> entries Shopify (graphql-ruby) returns, with its codes.</summary>
internal static class GraphQLErrors
{
    public static JsonObject UndefinedField(string field, string type, IReadOnlyList<object> path) => new()
    {
        ["message"] = $"Field '{field}' doesn't exist on type '{type}'",
        ["path"] = Path(path),
        ["extensions"] = new JsonObject { ["code"] = "undefinedField", ["typeName"] = type, ["fieldName"] = field },
    };

    public static JsonObject Field(string message, string code, IReadOnlyList<object> path) => new()
    {
        ["message"] = message,
        ["path"] = Path(path),
        ["extensions"] = new JsonObject { ["code"] = code },
    };

    public static JsonObject Simple(string message, string code) => new()
    {
        ["message"] = message,
        ["extensions"] = new JsonObject { ["code"] = code },
    };

    public static JsonObject Parse(string message, int line, int column) => new()
    {
        ["message"] = message,
        ["locations"] = new JsonArray(new JsonObject { ["line"] = line, ["column"] = column }),
        ["extensions"] = new JsonObject { ["code"] = "PARSE_ERROR" },
    };

    /// <summary>The throttle error body (docs/shopify-facts.md#rate-limits).</summary>
    public static JsonObject Throttled() => new()
    {
        ["message"] = "Throttled",
        ["extensions"] = new JsonObject
        {
            ["code"] = "THROTTLED",
            ["documentation"] = "https://shopify.dev/api/usage/rate-limits",
        },
    };

    private static JsonArray Path(IReadOnlyList<object> path) =>
        new([.. path.Select(p => p is int i ? JsonValue.Create(i) : (JsonNode)JsonValue.Create(p.ToString()!))]);
}
