using ShopifyReferral.Sandbox.Customers;
using ShopifyReferral.Sandbox.GraphQL;
using ShopifyReferral.Sandbox.State;

namespace ShopifyReferral.Sandbox.Orders;

/// <summary>The GraphQL Order: enough for a reconciliation job to rebuild what the webhook would have said.</summary>
internal static class OrderGraph
{
    public static GraphObject Order(PlacedOrder o, ResolveContext ctx)
    {
        var currency = ctx.Shop.Currency;
        var src = o.Source;
        return new GraphObject("Order", "Node")
        {
            { "id", o.Gid },
            { "legacyResourceId", Scalars.UnsignedInt64(o.Id) },
            { "name", o.Name },
            { "createdAt", o.CreatedAt },
            { "updatedAt", o.UpdatedAt },
            { "processedAt", o.CreatedAt },
            { "cancelledAt", o.CancelledAt },
            { "cancelReason", o.CancelledAt is null ? null : "CUSTOMER" },
            { "closed", false },
            { "confirmed", true },
            { "test", src.Test },
            { "email", src.Email },
            { "currencyCode", currency },
            { "displayFinancialStatus", o.FinancialStatus.ToUpperInvariant() },
            { "displayFulfillmentStatus", "UNFULFILLED" },
            { "discountCode", src.DiscountCode },
            { "discountCodes", src.DiscountCode is { } c ? new[] { c } : Array.Empty<string>() },
            { "clientIp", src.BrowserIp },
            { "sourceName", src.SourceName },
            { "customAttributes", src.NoteAttributes.Select(kv =>
                new GraphObject("Attribute") { { "key", kv.Key }, { "value", kv.Value } }).ToList() },
            // Subtotals are after discounts; "current" ones would also drop refunded and edited-out items.
            { "subtotalPriceSet", Bag(o.SubtotalPrice, currency) },
            { "currentSubtotalPriceSet", Bag(o.CurrentSubtotal, currency) },
            { "totalDiscountsSet", Bag(o.DiscountAmount, currency) },
            { "totalTaxSet", Bag(src.Tax, currency) },
            { "totalPriceSet", Bag(o.TotalPrice, currency) },
            { "currentTotalPriceSet", Bag(o.CurrentTotal, currency) },
            { "customer", _ => o.CustomerId is { } id && ctx.Shop.FindCustomer(id) is { } cust ? CustomerGraph.Customer(cust, ctx) : null },
        };
    }

    private static GraphObject Bag(decimal amount, string currency) => new("MoneyBag")
    {
        { "shopMoney", Scalars.Money(amount, currency) },
        { "presentmentMoney", Scalars.Money(amount, currency) },
    };
}
