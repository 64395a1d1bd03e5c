using ShopifyReferral.Webhooks;

namespace ShopifyReferral.Shops;

/// <summary>
/// app/uninstalled: Shopify has already revoked the token, so there is nothing to call back. Mark the shop
/// uninstalled, drop its token, and keep its data until shop/redact. Its work parks itself: without a token every
/// call to Shopify throws ShopNotInstalledException, which the webhook processor and reward issuer park without
/// spending attempts until a reinstall (ShopStore.ResumeWorkAsync). Running twice just marks it again.
/// </summary>
public sealed class AppUninstalledHandler(ShopStore shops, TimeProvider time) : IWebhookHandler
{
    public IReadOnlyCollection<string> Topics { get; } = ["app/uninstalled"];

    public Task HandleAsync(WebhookMessage message, CancellationToken ct) =>
        shops.MarkUninstalledAsync(message.Shop, time.GetUtcNow(), ct);
}
