namespace ShopifyReferral.Sandbox.GraphQL;

/// <summary>
/// A mutation's <c>userErrors[]</c> entry. Shopify answers a failed mutation with HTTP 200, data, and
/// these (docs/shopify-facts.md#user-errors), so apps must read them.
/// </summary>
internal sealed record UserError(string[] Field, string? Code, string Message)
{
    public GraphObject ToGraph(string typeName) => new(typeName, "DisplayableError")
    {
        { "field", Field },
        { "code", Code },
        { "message", Message },
        { "extraInfo", null },
    };

    public static List<GraphObject> Graph(IEnumerable<UserError> errors, string typeName) =>
        [.. errors.Select(e => e.ToGraph(typeName))];
}
