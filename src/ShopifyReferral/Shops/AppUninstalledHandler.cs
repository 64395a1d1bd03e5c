using System.Globalization;
using System.Text.RegularExpressions;
using ShopifyReferral.Webhooks;

namespace ShopifyReferral.Shops;

/// <summary>
/// app/uninstalled: Shopify has already revoked the token, so there is nothing to call back. Mark the shop
/// uninstalled, drop its token, and keep its data until shop/redact. Its work parks itself: without a token every
/// call to Shopify throws ShopNotInstalledException, which the webhook processor and reward issuer park without
/// spending attempts until a reinstall (ShopInstaller wakes them). Running twice just marks it again.
/// Shopify retries this topic for hours, so it can arrive after the merchant reinstalled: it is compared with the
/// latest install by X-Shopify-Triggered-At, never by when it is processed, and an older one changes nothing.
/// </summary>
public sealed partial class AppUninstalledHandler(ShopStore shops, TimeProvider time) : IWebhookHandler
{
    public IReadOnlyCollection<string> Topics { get; } = ["app/uninstalled"];

    public async Task HandleAsync(WebhookMessage message, CancellationToken ct)
    {
        var triggered = TriggeredAt(message.TriggeredAt);
        if (await shops.MarkUninstalledAsync(message.Shop, time.GetUtcNow(), triggered, ct)) return;
        var installed = (await shops.FindAsync(message.Shop, ct))?.InstalledAt is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : (DateTimeOffset?)null;
        throw new SkippedWebhookException(
            $"Ignored: this uninstall was triggered at {triggered:yyyy-MM-dd'T'HH:mm:ss'Z'}, before the latest install at {installed:yyyy-MM-dd'T'HH:mm:ss'Z'}; the shop stays installed.");
    }

    /// <summary>Shopify sends nanoseconds (2026-11-21T15:03:14.877041743Z); .NET parses at most 7 fractional digits.</summary>
    internal static DateTimeOffset? TriggeredAt(string? header) =>
        header is not null && DateTimeOffset.TryParse(ExtraDigits().Replace(header, "$1"), CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    [GeneratedRegex(@"(\.\d{7})\d+")]
    private static partial Regex ExtraDigits();
}
