namespace ShopifyReferral.Storefront;

/// <summary>Settings bound from the <c>Storefront</c> section.</summary>
public sealed class StorefrontOptions
{
    public const string Section = "Storefront";

    /// <summary>Salt for hashing shoppers' IPs in share_clicks; empty derives one from the client secret.</summary>
    public string IpHashSalt { get; set; } = "";

    /// <summary>Requests one IP may make to the public endpoints (/r, /auth, /extensions; a logged-in customer's own on /proxy) per <see cref="RateLimitWindow"/>.</summary>
    public int RateLimitPermits { get; set; } = 120;

    /// <summary>
    /// Signed app-proxy requests with no logged-in customer one shop may get per <see cref="RateLimitWindow"/>: they all
    /// come from Shopify's servers, so they share one budget per shop instead of one per (Shopify's) address.
    /// </summary>
    public int ProxyShopRateLimitPermits { get; set; } = 1200;

    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromMinutes(1);
}
