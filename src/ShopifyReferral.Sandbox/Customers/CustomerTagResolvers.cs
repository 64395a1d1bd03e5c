using System.Globalization;
using System.Text.Json.Nodes;
using ShopifyReferral.Sandbox.GraphQL;

namespace ShopifyReferral.Sandbox.Customers;

/// <summary>
/// <c>metafieldsSet</c> and <c>tagsAdd</c> on customers (docs/shopify-facts.md#customer-tags-and-metafields). metafieldsSet is atomic: one bad
/// input sets nothing. Only customer owners are known to the sandbox; any other owner is "not found". Both need the
/// write_customers scope: without it Shopify denies the field (ACCESS_DENIED) whatever the input.
/// </summary>
internal sealed class CustomerTagResolvers : IResolverGroup
{
    private static readonly HashSet<string> Types = ["single_line_text_field", "multi_line_text_field", "date_time", "date", "number_integer", "json", "boolean"];

    public void Register(ResolverRegistry registry)
    {
        registry.Mutation("metafieldsSet", MetafieldsSet);
        registry.Mutation("tagsAdd", TagsAdd);
    }

    private static object MetafieldsSet(ResolveContext ctx, FieldArgs args)
    {
        ctx.Require("metafieldsSet", "write_customers"); // the only owners the sandbox knows are customers
        var inputs = (args.Required("metafields") as JsonArray ?? []).Select(n => n as JsonObject ?? []).ToList();
        var errors = new List<GraphObject>();
        if (inputs.Count > 25)
            errors.Add(Error(["metafields"], "LESS_THAN_OR_EQUAL_TO", "Exceeded the maximum metafields input limit of 25.", null));
        for (var i = 0; i < inputs.Count; i++)
        {
            var m = inputs[i];
            if (!OwnerExists(ctx, m["ownerId"]?.ToString()))
                errors.Add(Error(["metafields", i.ToString(CultureInfo.InvariantCulture), "ownerId"], "INVALID", "Owner does not exist.", i));
            if (m["key"]?.ToString() is not { Length: >= 2 })
                errors.Add(Error(["metafields", i.ToString(CultureInfo.InvariantCulture), "key"], "TOO_SHORT", "Key is too short (minimum is 2 characters)", i));
            if (m["type"]?.ToString() is not { } type || !Types.Contains(type))
                errors.Add(Error(["metafields", i.ToString(CultureInfo.InvariantCulture), "type"], "INVALID_TYPE", "Type is not a valid metafield type.", i));
        }
        if (errors.Count > 0) return SetPayload([], errors);
        var set = new List<GraphObject>();
        lock (ctx.Shop.Gate)
            foreach (var m in inputs)
            {
                var saved = ctx.Shop.SetMetafield(m["ownerId"]!.ToString(), Namespace(ctx, m["namespace"]?.ToString()),
                    m["key"]!.ToString(), m["type"]!.ToString(), m["value"]?.ToString() ?? "", ctx.Now);
                set.Add(new GraphObject("Metafield", "Node")
                {
                    { "id", $"gid://shopify/Metafield/{saved.Id}" }, { "namespace", saved.Namespace }, { "key", saved.Key },
                    { "value", saved.Value }, { "type", saved.Type },
                });
            }
        return SetPayload(set, []);
    }

    private static object TagsAdd(ResolveContext ctx, FieldArgs args)
    {
        ctx.Require("tagsAdd", "write_customers");
        var id = args.Required("id").ToString();
        var tags = args.Required("tags") switch
        {
            JsonArray a => a.Select(t => t?.ToString() ?? "").ToList(),
            var s => s.ToString().Split(',').ToList(),
        };
        if (!OwnerExists(ctx, id))
            return new GraphObject("TagsAddPayload") { { "node", null }, { "userErrors", new List<GraphObject> { Plain(["id"], "Resource not found") } } };
        lock (ctx.Shop.Gate) ctx.Shop.AddTags(id, tags.Select(t => t.Trim()).Where(t => t.Length > 0));
        return new GraphObject("TagsAddPayload") { { "node", new GraphObject("Customer", "Node") { { "id", id } } }, { "userErrors", new List<GraphObject>() } };
    }

    private static bool OwnerExists(ResolveContext ctx, string? gid) =>
        gid is not null && Scalars.GidId(gid, "Customer") is { } id && ctx.Shop.FindCustomer(id) is not null;

    // "$app:referral" is the app-reserved namespace; Shopify stores it as app--{app id}--referral.
    private static string Namespace(ResolveContext ctx, string? ns) => ns switch
    {
        null or "" or "$app" => $"app--{ctx.Options.ClientId}",
        _ when ns.StartsWith("$app:", StringComparison.Ordinal) => $"app--{ctx.Options.ClientId}--{ns["$app:".Length..]}",
        _ => ns,
    };

    private static GraphObject SetPayload(List<GraphObject> set, List<GraphObject> errors) =>
        new("MetafieldsSetPayload") { { "metafields", errors.Count > 0 ? null : set }, { "userErrors", errors } };

    private static GraphObject Error(string[] field, string code, string message, int? index) => new("MetafieldsSetUserError", "DisplayableError")
    {
        { "field", field }, { "code", code }, { "message", message }, { "elementIndex", index },
    };

    private static GraphObject Plain(string[] field, string message) => new("UserError", "DisplayableError") { { "field", field }, { "message", message } };
}
