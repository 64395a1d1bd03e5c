using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ShopifyReferral.Sandbox.State;

namespace ShopifyReferral.Sandbox.Webhooks;

/// <summary>
/// Plays a merchant refunding part of an order's line items: the order's "current" figures drop, its original
/// total_price and subtotal_price stay as they were, and Shopify fires refunds/create and then orders/updated.
/// </summary>
internal sealed class Refunds(SandboxState state, WebhookSender sender, SandboxOptions options)
{
    public async Task<IReadOnlyList<WebhookDeliveryResult>> RefundAsync(string shopDomain, long orderId, decimal amount,
        Uri target, bool orderUpdatedLost, CancellationToken ct)
    {
        var shop = state.Shop(shopDomain);
        var order = shop.Orders.FirstOrDefault(o => o.Id == orderId)
            ?? throw new ArgumentException($"The sandbox has no order {orderId} in {shopDomain}.", nameof(orderId));
        var now = options.Time.GetUtcNow();
        // Payload times have whole seconds: the refund must read as a later update.
        var updatedAt = now < order.UpdatedAt.AddSeconds(1) ? order.UpdatedAt.AddSeconds(1) : now;
        var refunded = order with { Refunded = order.Refunded + amount, UpdatedAt = updatedAt };
        refunded = refunded with { FinancialStatus = refunded.CurrentTotalPrice == 0 ? "refunded" : "partially_refunded" };
        shop.ReplaceOrder(refunded);

        var refundId = state.NextId();
        var deliveries = new List<WebhookDeliveryResult>
        {
            await sender.SendAsync(target, shopDomain, "refunds/create", Encoding.UTF8.GetBytes(Refund(refundId, refunded, amount, shop.Currency).ToJsonString()), null, null, ct),
        };
        if (orderUpdatedLost) return deliveries;
        var customer = refunded.CustomerId is { } cid ? shop.FindCustomer(cid) : null;
        var body = OrderPayload.Build(refunded, customer, shop.Currency).ToJsonString();
        deliveries.Add(await sender.SendAsync(target, shopDomain, "orders/updated", Encoding.UTF8.GetBytes(body), null, null, ct));
        return deliveries;
    }

    private static JsonObject Refund(long id, PlacedOrder order, decimal amount, string currency) => new()
    {
        ["id"] = id,
        ["admin_graphql_api_id"] = $"gid://shopify/Refund/{id}",
        ["order_id"] = order.Id,
        ["created_at"] = Time(order.UpdatedAt),
        ["processed_at"] = Time(order.UpdatedAt),
        ["transactions"] = new JsonArray(new JsonObject
        {
            ["id"] = id + 1, ["kind"] = "refund", ["status"] = "success", ["amount"] = Money(amount), ["currency"] = currency,
            ["order_id"] = order.Id, ["gateway"] = "bogus",
        }),
        ["refund_line_items"] = new JsonArray(new JsonObject
        {
            ["id"] = id + 2, ["line_item_id"] = order.Id + 1, ["quantity"] = 1, ["subtotal"] = amount, ["total_tax"] = 0,
            ["subtotal_set"] = new JsonObject
            {
                ["shop_money"] = new JsonObject { ["amount"] = Money(amount), ["currency_code"] = currency },
                ["presentment_money"] = new JsonObject { ["amount"] = Money(amount), ["currency_code"] = currency },
            },
        }),
    };

    private static string Money(decimal d) => d.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}
