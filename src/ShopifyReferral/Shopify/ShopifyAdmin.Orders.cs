using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ShopifyReferral.Shopify;

public sealed partial class ShopifyAdmin
{
    private const int OrdersPageSize = 50;

    /// <remarks>
    /// Orders older than 60 days need the read_all_orders scope, so keep reconciliation windows short.
    /// The search syntax compares whole seconds; flooring <paramref name="since"/> may repeat an order,
    /// never skip one.
    /// </remarks>
    public async Task<OrdersPage> GetOrdersUpdatedSinceAsync(string shop, DateTimeOffset since, string? after, CancellationToken ct)
    {
        var variables = new JsonObject
        {
            ["first"] = OrdersPageSize,
            ["after"] = after,
            ["query"] = $"updated_at:>'{since.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}'",
        };
        var response = await graphQL.ExecuteAsync(shop, nameof(AdminDocuments.OrdersUpdatedSince), AdminDocuments.OrdersUpdatedSince, variables, ct);
        var orders = response.Data.GetProperty("orders");
        var pageInfo = orders.GetProperty("pageInfo");
        return new OrdersPage(
            [.. orders.GetProperty("nodes").EnumerateArray().Select(ReadOrder)],
            pageInfo.GetProperty("hasNextPage").GetBoolean(),
            OptionalString(pageInfo, "endCursor"));
    }

    public async Task<OrderBuyer?> GetOrderBuyerAsync(string shop, string orderGid, CancellationToken ct)
    {
        var response = await graphQL.ExecuteAsync(shop, nameof(AdminDocuments.OrderForExtension), AdminDocuments.OrderForExtension,
            new JsonObject { ["id"] = orderGid }, ct);
        if (!response.Data.TryGetProperty("order", out var o) || o.ValueKind != JsonValueKind.Object) return null;
        var c = o.TryGetProperty("customer", out var cust) && cust.ValueKind == JsonValueKind.Object ? cust : (JsonElement?)null;
        return new OrderBuyer(
            Gid: o.GetProperty("id").GetString()!,
            LegacyId: UnsignedInt64(o.GetProperty("legacyResourceId")),
            Name: o.GetProperty("name").GetString()!,
            CreatedAt: OptionalDate(o, "createdAt")!.Value,
            CancelledAt: OptionalDate(o, "cancelledAt"),
            Test: o.GetProperty("test").GetBoolean(),
            FinancialStatus: OptionalString(o, "displayFinancialStatus"),
            DiscountCodes: [.. o.GetProperty("discountCodes").EnumerateArray().Select(x => x.GetString()!)],
            CustomerId: c is { } a ? UnsignedInt64(a.GetProperty("legacyResourceId")) : null,
            CustomerFirstName: c is { } f ? OptionalString(f, "firstName") : null,
            CustomerLastName: c is { } l ? OptionalString(l, "lastName") : null,
            CustomerEmail: c is { } e && e.TryGetProperty("defaultEmailAddress", out var d) && d.ValueKind == JsonValueKind.Object
                ? OptionalString(d, "emailAddress") : null);
    }

    private static ShopifyOrder ReadOrder(JsonElement o)
    {
        var customer = o.TryGetProperty("customer", out var c) && c.ValueKind == JsonValueKind.Object ? c : default;
        var hasCustomer = customer.ValueKind == JsonValueKind.Object;
        var total = ShopMoney(o, "totalPriceSet")!.Value;
        return new ShopifyOrder(
            Gid: o.GetProperty("id").GetString()!,
            LegacyId: UnsignedInt64(o.GetProperty("legacyResourceId")),
            Name: o.GetProperty("name").GetString()!,
            Email: OptionalString(o, "email"),
            CreatedAt: OptionalDate(o, "createdAt")!.Value,
            UpdatedAt: OptionalDate(o, "updatedAt")!.Value,
            CancelledAt: OptionalDate(o, "cancelledAt"),
            Test: o.GetProperty("test").GetBoolean(),
            FinancialStatus: OptionalString(o, "displayFinancialStatus"),
            DiscountCodes: [.. o.GetProperty("discountCodes").EnumerateArray().Select(x => x.GetString()!)],
            CustomerGid: hasCustomer ? customer.GetProperty("id").GetString() : null,
            CustomerEmail: hasCustomer && customer.TryGetProperty("defaultEmailAddress", out var e) && e.ValueKind == JsonValueKind.Object
                ? OptionalString(e, "emailAddress") : null,
            CustomerNumberOfOrders: hasCustomer ? UnsignedInt64(customer.GetProperty("numberOfOrders")) : null,
            Subtotal: ShopMoney(o, "subtotalPriceSet")?.Amount,
            CurrentSubtotal: ShopMoney(o, "currentSubtotalPriceSet")?.Amount ?? 0m,
            Total: total.Amount,
            Currency: total.Currency);
    }

    private static (decimal Amount, string Currency)? ShopMoney(JsonElement parent, string name)
    {
        if (!parent.TryGetProperty(name, out var set) || set.ValueKind != JsonValueKind.Object) return null;
        var money = set.GetProperty("shopMoney");
        return (Decimal(money.GetProperty("amount")), money.GetProperty("currencyCode").GetString()!);
    }

    // Scalars: Decimal and UnsignedInt64 arrive as JSON strings; accept numbers too.
    private static decimal Decimal(JsonElement e) =>
        e.ValueKind == JsonValueKind.Number ? e.GetDecimal() : decimal.Parse(e.GetString()!, NumberStyles.Number, CultureInfo.InvariantCulture);

    private static long UnsignedInt64(JsonElement e) =>
        e.ValueKind == JsonValueKind.Number ? e.GetInt64() : long.Parse(e.GetString()!, NumberStyles.None, CultureInfo.InvariantCulture);

    private static string? OptionalString(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;

    private static DateTimeOffset? OptionalDate(JsonElement parent, string name) =>
        OptionalString(parent, name) is { } s ? DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) : null;

    private static string Money(decimal amount) => amount.ToString("0.00##", CultureInfo.InvariantCulture);

    private static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
