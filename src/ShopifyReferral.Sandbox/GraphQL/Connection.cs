using System.Text;

namespace ShopifyReferral.Sandbox.GraphQL;

/// <summary>Relay connections as Shopify serves them: nodes, edges{cursor node}, pageInfo; first/after/last/before.</summary>
internal static class Connection
{
    public static GraphObject Of<T>(string typeName, IReadOnlyList<T> items, FieldArgs args,
        Func<T, string> key, Func<T, GraphObject> node)
    {
        var start = 0;
        var end = items.Count;
        if (args.String("after") is { } after && IndexOf(items, key, after) is { } a) start = a + 1;
        if (args.String("before") is { } before && IndexOf(items, key, before) is { } b) end = b;
        if (args.Int("first") is { } first) end = Math.Min(end, start + Math.Max(0, first));
        else if (args.Int("last") is { } last) start = Math.Max(start, end - Math.Max(0, last));
        var page = items.Skip(start).Take(Math.Max(0, end - start)).ToList();

        return new GraphObject(typeName)
        {
            { "nodes", page.Select(node).ToList() },
            { "edges", page.Select(i => new GraphObject(typeName.Replace("Connection", "Edge"))
                { { "cursor", Cursor(key(i)) }, { "node", _ => node(i) } }).ToList() },
            { "pageInfo", new GraphObject("PageInfo")
                {
                    { "hasNextPage", end < items.Count },
                    { "hasPreviousPage", start > 0 },
                    { "startCursor", page.Count > 0 ? Cursor(key(page[0])) : null },
                    { "endCursor", page.Count > 0 ? Cursor(key(page[^1])) : null },
                }
            },
        };
    }

    /// <summary>Opaque to clients, like Shopify's; here base64 of the item key.</summary>
    public static string Cursor(string key) => Convert.ToBase64String(Encoding.UTF8.GetBytes(key));

    private static int? IndexOf<T>(IReadOnlyList<T> items, Func<T, string> key, string cursor)
    {
        string decoded;
        try { decoded = Encoding.UTF8.GetString(Convert.FromBase64String(cursor)); }
        catch (FormatException) { throw new GraphQLFieldException($"Invalid cursor for current pagination sort.", "invalidCursor"); }
        for (var i = 0; i < items.Count; i++)
            if (key(items[i]) == decoded) return i;
        return null;
    }
}
