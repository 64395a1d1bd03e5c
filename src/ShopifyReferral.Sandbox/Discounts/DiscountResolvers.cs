using ShopifyReferral.Sandbox.GraphQL;
using ShopifyReferral.Sandbox.State;

namespace ShopifyReferral.Sandbox.Discounts;

/// <summary>Lookup, deactivation and activation of code discounts.</summary>
internal sealed class DiscountResolvers : IResolverGroup
{
    public void Register(ResolverRegistry registry)
    {
        registry.Query("codeDiscountNodeByCode", (ctx, args) =>
            ctx.Shop.FindDiscountByCode(args.Required("code").ToString()) is { } d ? DiscountGraph.Node(d, ctx) : null);
        registry.Query("codeDiscountNode", (ctx, args) =>
            Find(ctx, args.Required("id").ToString()) is { } d ? DiscountGraph.Node(d, ctx) : null);
        registry.Mutation("discountCodeDeactivate", Deactivate);
        registry.Mutation("discountCodeActivate", Activate);
    }

    internal static SandboxDiscount? Find(ResolveContext ctx, string gid) =>
        Scalars.GidId(gid, "DiscountCodeNode") is { } id ? ctx.Shop.FindDiscount(id) : null;

    /// <summary>Shopify deactivates by ending the discount now (status EXPIRED); discountCodeActivate restores it.</summary>
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
    /// Makes the code usable now: an ended discount loses its end date, a scheduled one starts now. Activating an
    /// active discount changes nothing, so a repeated call is harmless.
    /// </summary>
    private static object Activate(ResolveContext ctx, FieldArgs args)
    {
        var shop = ctx.Shop;
        lock (shop.Gate)
        {
            var discount = Find(ctx, args.Required("id").ToString());
            if (discount is null)
                return DiscountCreateResolvers.Payload("DiscountCodeActivatePayload", null,
                    [new UserError(["id"], "INVALID", "Discount does not exist")], ctx);
            var status = discount.Status(ctx.Now);
            if (status != "ACTIVE")
            {
                discount = status == "SCHEDULED"
                    ? discount with { StartsAt = ctx.Now, UpdatedAt = ctx.Now }
                    : discount with { EndsAt = null, UpdatedAt = ctx.Now };
                shop.ReplaceDiscount(discount);
            }
            return DiscountCreateResolvers.Payload("DiscountCodeActivatePayload", discount, [], ctx);
        }
    }
}
