using ShopifyReferral.Sandbox.Webhooks;

namespace ShopifyReferral.Sandbox;

/// <summary>A merchant's changes to placed orders, and Shopify's retries of a delivery.</summary>
public sealed partial class SandboxStore
{
    private OrderChanges Changes => new(State, _webhooks, Options);

    /// <summary>Refunds part of the order's line subtotal (all of what is left at most): refunds/create, then orders/updated.</summary>
    public Task<IReadOnlyList<WebhookDeliveryResult>> RefundAsync(string shop, long orderId, decimal amount, Uri webhookTarget,
        CancellationToken ct = default) => Changes.RefundAsync(shop, orderId, amount, webhookTarget, ct);

    /// <summary>Cancels the order (refunding a paid one in full): orders/cancelled, then orders/updated.</summary>
    public Task<IReadOnlyList<WebhookDeliveryResult>> CancelOrderAsync(string shop, long orderId, Uri webhookTarget,
        CancellationToken ct = default) => Changes.CancelAsync(shop, orderId, webhookTarget, ct);

    /// <summary>
    /// Shopify's retry of a delivery: the same bytes, X-Shopify-Webhook-Id, X-Shopify-Event-Id and
    /// X-Shopify-Triggered-At, sent again (late, and possibly after newer events).
    /// </summary>
    public Task<WebhookDeliveryResult> RedeliverAsync(WebhookDeliveryResult delivery, CancellationToken ct = default) =>
        _webhooks.SendAsync(delivery.Target, delivery.Shop, delivery.Topic, delivery.Body, delivery.WebhookId, delivery.EventId, ct,
            delivery.TriggeredAt);
}
