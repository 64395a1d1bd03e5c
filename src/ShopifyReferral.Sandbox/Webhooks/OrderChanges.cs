using System.Text;
using System.Text.Json.Nodes;
using ShopifyReferral.Sandbox.State;

namespace ShopifyReferral.Sandbox.Webhooks;

/// <summary>
/// What a merchant does to a paid order in the admin, with the webhooks Shopify sends for it: a refund fires
/// refunds/create and then orders/updated (current_* amounts and financial_status lowered; total_price and
/// subtotal_price stay as ordered); a cancellation fires orders/cancelled and then orders/updated.
/// </summary>
internal sealed class OrderChanges(SandboxState state, WebhookSender sender, SandboxOptions options)
{
    public async Task<IReadOnlyList<WebhookDeliveryResult>> RefundAsync(string shopDomain, long orderId, decimal amount, Uri target, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amount);
        var shop = state.Shop(shopDomain);
        var order = Find(shop, orderId);
        var refunded = Math.Min(order.SubtotalPrice, order.Refunded + amount);
        var changed = order with
        {
            Refunded = refunded,
            FinancialStatus = refunded >= order.SubtotalPrice ? "refunded" : "partially_refunded",
            UpdatedAt = Later(order.UpdatedAt),
        };
        shop.ReplaceOrder(changed);
        var refund = Refund(shop, changed, refunded - order.Refunded);
        var first = await sender.SendAsync(target, shop.Domain, "refunds/create", Bytes(refund), null, null, ct);
        var second = await SendOrderAsync(shop, changed, "orders/updated", target, ct);
        return [first, second];
    }

    public async Task<IReadOnlyList<WebhookDeliveryResult>> CancelAsync(string shopDomain, long orderId, Uri target, CancellationToken ct)
    {
        var shop = state.Shop(shopDomain);
        var order = Find(shop, orderId);
        var now = Later(order.UpdatedAt);
        // Cancelling a paid order refunds what is left of it; an unpaid one is voided.
        var paid = order.FinancialStatus is "paid" or "partially_refunded";
        var changed = order with
        {
            CancelledAt = now,
            UpdatedAt = now,
            Refunded = paid ? order.SubtotalPrice : order.Refunded,
            FinancialStatus = paid ? "refunded" : "voided",
        };
        shop.ReplaceOrder(changed);
        var first = await SendOrderAsync(shop, changed, "orders/cancelled", target, ct);
        var second = await SendOrderAsync(shop, changed, "orders/updated", target, ct);
        return [first, second];
    }

    private static PlacedOrder Find(ShopState shop, long orderId) =>
        shop.Orders.SingleOrDefault(o => o.Id == orderId) ?? throw new InvalidOperationException($"No order {orderId} in {shop.Domain}.");

    // Payload times have whole seconds: a change must read as later than the state it follows.
    private DateTimeOffset Later(DateTimeOffset previous)
    {
        var now = options.Time.GetUtcNow();
        return now < previous.AddSeconds(1) ? previous.AddSeconds(1) : now;
    }

    private Task<WebhookDeliveryResult> SendOrderAsync(ShopState shop, PlacedOrder order, string topic, Uri target, CancellationToken ct)
    {
        var customer = order.CustomerId is { } id ? shop.FindCustomer(id) : null;
        return sender.SendAsync(target, shop.Domain, topic, Bytes(OrderPayload.Build(order, customer, shop.Currency)), null, null, ct);
    }

    /// <summary>The REST Refund resource: no total field; the amount is in its successful transactions.</summary>
    private JsonObject Refund(ShopState shop, PlacedOrder order, decimal amount)
    {
        var id = state.NextId();
        var at = OrderPayload.Time(order.UpdatedAt);
        return new JsonObject
        {
            ["id"] = id,
            ["admin_graphql_api_id"] = $"gid://shopify/Refund/{id}",
            ["order_id"] = order.Id,
            ["created_at"] = at,
            ["processed_at"] = at,
            ["note"] = null,
            ["restock"] = false,
            ["user_id"] = null,
            ["order_adjustments"] = new JsonArray(),
            ["refund_line_items"] = new JsonArray(new JsonObject
            {
                ["id"] = state.NextId(),
                ["line_item_id"] = order.Id + 1,
                ["quantity"] = 1,
                ["restock_type"] = "no_restock",
                ["subtotal"] = OrderPayload.Money(amount),
                ["subtotal_set"] = OrderPayload.MoneySet(amount, shop.Currency),
                ["total_tax"] = "0.00",
                ["total_tax_set"] = OrderPayload.MoneySet(0, shop.Currency),
            }),
            ["transactions"] = new JsonArray(new JsonObject
            {
                ["id"] = state.NextId(),
                ["order_id"] = order.Id,
                ["kind"] = "refund",
                ["status"] = "success",
                ["amount"] = OrderPayload.Money(amount),
                ["currency"] = shop.Currency,
                ["gateway"] = "bogus",
                ["created_at"] = at,
            }),
        };
    }

    private static byte[] Bytes(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString());
}
