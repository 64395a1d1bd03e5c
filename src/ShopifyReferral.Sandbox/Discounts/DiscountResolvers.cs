using ShopifyReferral.Sandbox.GraphQL;
using ShopifyReferral.Sandbox.State;

namespace ShopifyReferral.Sandbox.Discounts;

/// <summary>Lookup and deactivation of code discounts (shopify-facts §6.2).</summary>
internal sealed class DiscountResolvers : IResolverGroup
{
    public void Register(ResolverRegistry registry)
    {
        registry.Query("codeDiscountNodeByCode", (ctx, args) =>
            ctx.Shop.FindDiscountByCode(args.Required("code").ToString()) is { } d ? DiscountGraph.Node(d, ctx) : null);
        registry.Query("codeDiscountNode", (ctx, args) =>
            Find(ctx, args.Required("id").ToString()) is { } d ? DiscountGraph.Node(d, ctx) : null);
        registry.Mutation("discountCodeDeactivate", Deactivate);
    }

    internal static SandboxDiscount? Find(ResolveContext ctx, string gid) =>
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
}
