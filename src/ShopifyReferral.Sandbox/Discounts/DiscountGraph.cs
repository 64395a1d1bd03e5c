using System.Globalization;
using ShopifyReferral.Sandbox.Customers;
using ShopifyReferral.Sandbox.GraphQL;
using ShopifyReferral.Sandbox.State;

namespace ShopifyReferral.Sandbox.Discounts;

/// <summary>DiscountCodeNode and its DiscountCode union members, built lazily for the selection.</summary>
internal static class DiscountGraph
{
    public static GraphObject Node(SandboxDiscount d, ResolveContext ctx) => new("DiscountCodeNode", "Node", "HasMetafields", "HasEvents")
    {
        { "id", d.Gid },
        { "codeDiscount", _ => CodeDiscount(d, ctx) },
    };

    private static GraphObject CodeDiscount(SandboxDiscount d, ResolveContext ctx)
    {
        var currency = ctx.Shop.Currency;
        var type = d.Kind == DiscountKind.Basic ? "DiscountCodeBasic" : "DiscountCodeFreeShipping";
        var obj = new GraphObject(type, "DiscountCode")
        {
            { "title", d.Title },
            { "status", d.Status(ctx.Now) },
            { "startsAt", d.StartsAt },
            { "endsAt", d.EndsAt },
            { "createdAt", d.CreatedAt },
            { "updatedAt", d.UpdatedAt },
            { "usageLimit", d.UsageLimit },
            { "asyncUsageCount", d.UsageCount },
            { "appliesOncePerCustomer", d.AppliesOncePerCustomer },
            { "recurringCycleLimit", null },
            { "hasTimelineComment", false },
            { "discountClasses", new[] { d.Kind == DiscountKind.Basic ? "ORDER" : "SHIPPING" } },
            { "summary", Summary(d, currency) },
            { "shortSummary", Summary(d, currency) },
            { "totalSales", null },
            { "shareableUrls", Array.Empty<object>() },
            { "codesCount", new GraphObject("Count") { { "count", d.Codes.Count }, { "precision", "EXACT" } } },
            { "codes", args => Connection.Of("DiscountRedeemCodeConnection", d.Codes, args,
                c => c.Id.ToString(CultureInfo.InvariantCulture), RedeemCode) },
            { "combinesWith", new GraphObject("DiscountCombinesWith")
                {
                    { "orderDiscounts", d.CombinesWithOrderDiscounts },
                    { "productDiscounts", d.CombinesWithProductDiscounts },
                    { "shippingDiscounts", d.CombinesWithShippingDiscounts },
                }
            },
            { "context", _ => Context(d, ctx) },
            { "minimumRequirement", MinimumRequirement(d, currency) },
        };
        if (d.Kind == DiscountKind.Basic)
        {
            obj.Add("customerGets", new GraphObject("DiscountCustomerGets")
            {
                { "value", Value(d, currency) },
                { "items", Items(d, ctx) },
                { "appliesOnOneTimePurchase", true },
                { "appliesOnSubscription", false },
            });
        }
        else
        {
            obj.Add("maximumShippingPrice", d.MaximumShippingPrice is { } max ? Scalars.Money(max, currency) : null);
            obj.Add("appliesOnOneTimePurchase", true);
            obj.Add("appliesOnSubscription", false);
        }
        return obj;
    }

    private static GraphObject Items(SandboxDiscount d, ResolveContext ctx) => d.ProductIds.Count == 0 && d.VariantIds.Count == 0
        ? new GraphObject("AllDiscountItems", "DiscountItems") { { "allItems", true } }
        : new GraphObject("DiscountProducts", "DiscountItems")
        {
            { "products", args => Connection.Of("ProductConnection",
                d.ProductIds.Select(g => Scalars.GidId(g, "Product") is { } id ? ctx.Shop.FindProduct(id) : null).OfType<SandboxProduct>().ToList(),
                args, p => p.Id.ToString(CultureInfo.InvariantCulture), p => Products.ProductResolvers.Product(p, ctx)) },
            { "productVariants", args => Connection.Of("ProductVariantConnection",
                d.VariantIds.Select(g => Scalars.GidId(g, "ProductVariant") is { } id ? ctx.Shop.FindVariant(id) : null).OfType<(SandboxProduct Product, SandboxVariant Variant)>().ToList(),
                args, f => f.Variant.Id.ToString(CultureInfo.InvariantCulture), f => Products.ProductResolvers.Variant(f.Variant, f.Product, ctx)) },
        };

    private static GraphObject RedeemCode(SandboxRedeemCode c) => new("DiscountRedeemCode")
    {
        { "id", $"gid://shopify/DiscountRedeemCode/{c.Id}" },
        { "code", c.Code },
        { "asyncUsageCount", c.UsageCount },
        { "createdBy", null },
    };

    private static GraphObject Context(SandboxDiscount d, ResolveContext ctx) => d.CustomerIds.Count == 0
        ? new GraphObject("DiscountBuyerSelectionAll", "DiscountContext") { { "all", "ALL" } }
        : new GraphObject("DiscountCustomers", "DiscountContext")
        {
            { "customers", d.CustomerIds
                .Select(gid => Scalars.GidId(gid, "Customer") is { } id ? ctx.Shop.FindCustomer(id) : null)
                .OfType<SandboxCustomer>().Select(c => CustomerGraph.Customer(c, ctx)).ToList() },
        };

    private static GraphObject? Value(SandboxDiscount d, string currency) => d.Percentage is { } p
        ? new GraphObject("DiscountPercentage", "DiscountCustomerGetsValue") { { "percentage", (double)p } }
        : d.Amount is { } a
            ? new GraphObject("DiscountAmount", "DiscountCustomerGetsValue")
            {
                { "amount", Scalars.Money(a, currency) },
                { "appliesOnEachItem", d.AppliesOnEachItem },
            }
            : null;

    private static GraphObject? MinimumRequirement(SandboxDiscount d, string currency) =>
        d.MinimumSubtotal is { } s
            ? new GraphObject("DiscountMinimumSubtotal", "DiscountMinimumRequirement")
            { { "greaterThanOrEqualToSubtotal", Scalars.Money(s, currency) } }
            : d.MinimumQuantity is { } q
                ? new GraphObject("DiscountMinimumQuantity", "DiscountMinimumRequirement")
                { { "greaterThanOrEqualToQuantity", q.ToString(CultureInfo.InvariantCulture) } }
                : null;

    private static string Summary(SandboxDiscount d, string currency) => d.Kind == DiscountKind.FreeShipping
        ? "Free shipping on all products"
        : d.Percentage is { } p
            ? $"{(p * 100).ToString("0.##", CultureInfo.InvariantCulture)}% off entire order"
            : $"{d.Amount?.ToString("0.00", CultureInfo.InvariantCulture)} {currency} off entire order";
}
