using System.Text.Json.Nodes;
using ShopifyReferral.Sandbox.GraphQL;
using ShopifyReferral.Sandbox.State;

namespace ShopifyReferral.Sandbox.Discounts;

/// <summary>
/// <c>discountCodeBasicCreate</c> and <c>discountCodeFreeShippingCreate</c> (docs/shopify-facts.md#discount-codes).
/// Codes are unique per shop, case-insensitively; a collision is a TAKEN userError and nothing is created.
/// </summary>
internal sealed class DiscountCreateResolvers : IResolverGroup
{
    public const string TakenMessage = "Code must be unique. Please try a different code.";

    public void Register(ResolverRegistry registry)
    {
        registry.Mutation("discountCodeBasicCreate", (ctx, args) =>
            Create(ctx, args, "basicCodeDiscount", DiscountKind.Basic, "DiscountCodeBasicCreatePayload"));
        registry.Mutation("discountCodeFreeShippingCreate", (ctx, args) =>
            Create(ctx, args, "freeShippingCodeDiscount", DiscountKind.FreeShipping, "DiscountCodeFreeShippingCreatePayload"));
    }

    private static GraphObject Create(ResolveContext ctx, FieldArgs args, string argument, DiscountKind kind, string payloadType)
    {
        var input = args.Required(argument) as JsonObject ?? [];
        var shop = ctx.Shop;
        SandboxDiscount? created = null;
        List<UserError> errors;
        lock (shop.Gate)
        {
            var id = shop.NewId();
            shop.NewId(); // the first redeem code's id
            (created, errors) = DiscountInput.Read(input, argument, kind, id, ctx.Now);
            // A product or variant the shop does not have (deleted) cannot be entitled: nothing is created.
            if (created is not null && MissingItem(shop, created) is { } missing)
            {
                errors.Add(new UserError([argument, "customerGets", "items", "products", missing.Field], "INVALID", $"Product with id: {missing.Id} is invalid"));
                created = null;
            }
            if (created is not null && shop.FindDiscountByCode(created.Codes[0].Code) is not null)
            {
                errors.Add(new UserError([argument, "code"], "TAKEN", TakenMessage));
                created = null;
            }
            if (created is not null) shop.AddDiscount(created);
        }
        return Payload(payloadType, created, errors, ctx);
    }

    private static (string Field, long Id)? MissingItem(ShopState shop, SandboxDiscount d)
    {
        foreach (var gid in d.ProductIds)
            if (Scalars.GidId(gid, "Product") is not { } id || shop.FindProduct(id) is null) return ("productsToAdd", Scalars.GidId(gid, "Product") ?? 0);
        foreach (var gid in d.VariantIds)
            if (Scalars.GidId(gid, "ProductVariant") is not { } id || shop.FindVariant(id) is null) return ("productVariantsToAdd", Scalars.GidId(gid, "ProductVariant") ?? 0);
        return null;
    }

    public static GraphObject Payload(string payloadType, SandboxDiscount? discount, IEnumerable<UserError> errors, ResolveContext ctx) =>
        new(payloadType)
        {
            { "codeDiscountNode", discount is null ? null : DiscountGraph.Node(discount, ctx) },
            { "userErrors", UserError.Graph(errors, "DiscountUserError") },
        };
}
