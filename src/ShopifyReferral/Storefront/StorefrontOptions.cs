namespace ShopifyReferral.Storefront;

/// <summary>Settings bound from the <c>Storefront</c> section.</summary>
public sealed class StorefrontOptions
{
    public const string Section = "Storefront";

    /// <summary>Salt for hashing shoppers' IPs in share_clicks; empty derives one from the client secret.</summary>
    public string IpHashSalt { get; set; } = "";

    /// <summary>Requests one IP may make to the public endpoints (/r, /proxy, /auth) per <see cref="RateLimitWindow"/>.</summary>
    public int RateLimitPermits { get; set; } = 120;

    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromMinutes(1);
}
