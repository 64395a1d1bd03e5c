namespace ShopifyReferral.Extensions;

/// <summary>Settings bound from the <c>Extensions</c> section (the thank-you block and the customer-account page).</summary>
public sealed class ExtensionOptions
{
    public const string Section = "Extensions";

    /// <summary>Calls one shop's buyers may make per <see cref="RateLimitWindow"/>; more get 429 with Retry-After.</summary>
    public int RateLimitPermits { get; set; } = 600;

    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How old an order may be when the token names no customer (a buyer who was not logged in). The order id in the
    /// body is the buyer's word, not Shopify's: this bounds what guessing other order ids could reveal.
    /// </summary>
    public TimeSpan GuestOrderWindow { get; set; } = TimeSpan.FromHours(24);
}
