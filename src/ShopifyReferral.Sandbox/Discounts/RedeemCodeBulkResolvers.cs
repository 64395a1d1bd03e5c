using System.Text.Json.Nodes;
using ShopifyReferral.Sandbox.GraphQL;
using ShopifyReferral.Sandbox.State;

namespace ShopifyReferral.Sandbox.Discounts;

/// <summary>
/// <c>discountRedeemCodeBulkAdd</c> and <c>discountRedeemCodeBulkCreation(id:)</c>. On Shopify the add is a
/// queued job: the mutation answers with a bulkCreation that is not done yet (counts still 0) and the codes
/// appear later. The sandbox runs the job at once, so polling the creation shows it done with its counts,
/// while the mutation's own answer keeps Shopify's queued shape so clients don't rely on it.
/// </summary>
internal sealed class RedeemCodeBulkResolvers : IResolverGroup
{
    /// <summary>Input arrays are capped at 250 items (docs/shopify-facts.md#discount-codes).</summary>
    private const int MaxCodesPerCall = 250;

    public void Register(ResolverRegistry registry)
    {
        registry.Mutation("discountRedeemCodeBulkAdd", BulkAdd);
        registry.Query("discountRedeemCodeBulkCreation", (ctx, args) =>
            Scalars.GidId(args.Required("id").ToString(), "DiscountRedeemCodeBulkCreation") is { } id
            && ctx.Shop.FindBulkCreation(id) is { } creation ? Creation(creation, done: true, ctx) : null);
    }

    /// <summary>Codes already taken in the shop, or repeated in the call, count as failed, as Shopify's job does.</summary>
    private static object BulkAdd(ResolveContext ctx, FieldArgs args)
    {
        var shop = ctx.Shop;
        var codes = (args.Required("codes") as JsonArray ?? []).Select(n => n?["code"]?.ToString() ?? "").ToList();
        if (codes.Count > MaxCodesPerCall)
            return Payload(null, [new UserError(["codes"], "TOO_LONG", $"Codes can't exceed {MaxCodesPerCall} codes")]);
        lock (shop.Gate)
        {
            var discount = DiscountResolvers.Find(ctx, args.Required("discountId").ToString());
            if (discount is null)
                return Payload(null, [new UserError(["discountId"], "INVALID", "Discount does not exist")]);
            var added = new List<SandboxRedeemCode>();
            foreach (var code in codes.Select(c => c.Trim()))
            {
                var taken = code.Length == 0 || shop.FindDiscountByCode(code) is not null
                    || added.Any(a => string.Equals(a.Code, code, StringComparison.OrdinalIgnoreCase));
                if (!taken) added.Add(new SandboxRedeemCode(shop.NewId(), code));
            }
            shop.ReplaceDiscount(discount with { Codes = [.. discount.Codes, .. added], UpdatedAt = ctx.Now });
            var creation = new SandboxBulkCreation(shop.NewId(), discount.Id, codes.Count, added.Count, codes.Count - added.Count, ctx.Now);
            shop.AddBulkCreation(creation);
            return Payload(Creation(creation, done: false, ctx), []);
        }
    }

    private static GraphObject Creation(SandboxBulkCreation c, bool done, ResolveContext ctx) => new("DiscountRedeemCodeBulkCreation", "Node")
    {
        { "id", $"gid://shopify/DiscountRedeemCodeBulkCreation/{c.Id}" },
        { "done", done },
        { "codesCount", c.CodesCount },
        { "importedCount", done ? c.ImportedCount : 0 },
        { "failedCount", done ? c.FailedCount : 0 },
        { "createdAt", c.CreatedAt },
        { "discountCode", _ => ctx.Shop.FindDiscount(c.DiscountId) is { } d ? DiscountGraph.Node(d, ctx) : null },
    };

    private static GraphObject Payload(GraphObject? creation, IEnumerable<UserError> errors) =>
        new("DiscountRedeemCodeBulkAddPayload")
        {
            { "bulkCreation", creation },
            { "userErrors", UserError.Graph(errors, "DiscountUserError") },
        };
}
