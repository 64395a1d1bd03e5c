namespace ShopifyReferral.Shopify;

/// <summary>Bound from <c>Shopify</c>. With no ClientId and ClientSecret the app runs in sandbox mode.</summary>
public sealed class ShopifyOptions
{
    public string ClientId { get; set; } = "";

    /// <summary>Signs webhooks (HMAC key), OAuth redirects and session tokens.</summary>
    public string ClientSecret { get; set; } = "";

    /// <summary>Accepted too while a rotation settles: Shopify may sign with the old secret for up to an hour.</summary>
    public string? PreviousClientSecret { get; set; }

    public string ApiVersion { get; set; } = "2026-10";

    /// <summary>Where Admin API and OAuth calls go; <c>{shop}</c> is replaced by the shop's myshopify domain.</summary>
    public string AdminBaseUrl { get; set; } = "https://{shop}";

    /// <summary>The app's public base URL, for OAuth redirect URIs and webhook subscription URIs.</summary>
    public string AppUrl { get; set; } = "";

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public string AdminUrl(string shop) => AdminBaseUrl.Replace("{shop}", shop, StringComparison.Ordinal).TrimEnd('/');
}
