using System.Text.Json.Nodes;
using ShopifyReferral.Sandbox.GraphQL;
using ShopifyReferral.Sandbox.State;

namespace ShopifyReferral.Sandbox.Discounts;

/// <summary>Lookup, deactivation and bulk code add for code discounts (shopify-facts §6.2).</summary>
internal sealed class DiscountResolvers : IResolverGroup
{
    /// <summary>Input arrays are capped at 250 items (shopify-facts §6.1, §7.1).</summary>
    private const int MaxCodesPerCall = 250;

    public void Register(ResolverRegistry registry)
    {
        registry.Query("codeDiscountNodeByCode", (ctx, args) =>
            ctx.Shop.FindDiscountByCode(args.Required("code").ToString()) is { } d ? DiscountGraph.Node(d, ctx) : null);
        registry.Query("codeDiscountNode", (ctx, args) =>
            Find(ctx, args.Required("id").ToString()) is { } d ? DiscountGraph.Node(d, ctx) : null);
        registry.Mutation("discountCodeDeactivate", Deactivate);
        registry.Mutation("discountRedeemCodeBulkAdd", BulkAdd);
    }

    private static SandboxDiscount? Find(ResolveContext ctx, string gid) =>
        Scalars.GidId(gid, "DiscountCodeNode") is { } id ? ctx.Shop.FindDiscount(id) : null;

    /// <summary>Shopify deactivates by ending the discount now; discountCodeActivate could restore it.</summary>
    private static object Deactivate(ResolveContext ctx, FieldArgs args)
    {
        var shop = ctx.Shop;
        lock (shop.Gate)
        {
            var discount = Find(ctx, args.Required("id").ToString());
            if (discount is null)
                return DiscountCreateResolvers.Payload("DiscountCodeDeactivatePayload", null,
                    [new UserError(["id"], "INVALID", "Discount does not exist")], ctx);
            if (discount.Status(ctx.Now) != "EXPIRED")
            {
                discount = discount with { EndsAt = ctx.Now, UpdatedAt = ctx.Now };
                shop.ReplaceDiscount(discount);
            }
            return DiscountCreateResolvers.Payload("DiscountCodeDeactivatePayload", discount, [], ctx);
        }
    }

    /// <summary>
    /// Asynchronous on Shopify (poll the bulkCreation); the sandbox applies it at once and reports done.
    /// Codes already taken in the shop, or repeated in the call, count as failed, as Shopify's job does.
    /// </summary>
    private static object BulkAdd(ResolveContext ctx, FieldArgs args)
    {
        var shop = ctx.Shop;
        var codes = (args.Required("codes") as JsonArray ?? []).Select(n => n?["code"]?.ToString() ?? "").ToList();
        if (codes.Count > MaxCodesPerCall)
            return BulkPayload(null, [new UserError(["codes"], "TOO_LONG", $"Codes can't exceed {MaxCodesPerCall} codes")]);
        lock (shop.Gate)
        {
            var discount = Find(ctx, args.Required("discountId").ToString());
            if (discount is null)
                return BulkPayload(null, [new UserError(["discountId"], "INVALID", "Discount does not exist")]);
            var added = new List<SandboxRedeemCode>();
            foreach (var code in codes.Select(c => c.Trim()))
            {
                var taken = code.Length == 0 || shop.FindDiscountByCode(code) is not null
                    || added.Any(a => string.Equals(a.Code, code, StringComparison.OrdinalIgnoreCase));
                if (!taken) added.Add(new SandboxRedeemCode(shop.NewId(), code));
            }
            shop.ReplaceDiscount(discount with { Codes = [.. discount.Codes, .. added], UpdatedAt = ctx.Now });
            var creation = new GraphObject("DiscountRedeemCodeBulkCreation", "Node")
            {
                { "id", $"gid://shopify/DiscountRedeemCodeBulkCreation/{shop.NewId()}" },
                { "done", true },
                { "codesCount", codes.Count },
                { "importedCount", added.Count },
                { "failedCount", codes.Count - added.Count },
                { "createdAt", ctx.Now },
                { "discountCode", _ => shop.FindDiscount(discount.Id) is { } d ? DiscountGraph.Node(d, ctx) : null },
            };
            return BulkPayload(creation, []);
        }
    }

    private static GraphObject BulkPayload(GraphObject? creation, IEnumerable<UserError> errors) =>
        new("DiscountRedeemCodeBulkAddPayload")
        {
            { "bulkCreation", creation },
            { "userErrors", UserError.Graph(errors, "DiscountUserError") },
        };
}
