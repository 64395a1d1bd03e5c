namespace ShopifyReferral.Shopify;

/// <summary>Settings bound from the <c>Shopify</c> section.</summary>
public sealed class ShopifyOptions
{
    public const string Section = "Shopify";

    public string ClientId { get; set; } = "";
    public string ClientSecret { get; set; } = "";

    /// <summary>Shopify keeps signing with the old secret for up to an hour after a rotation.</summary>
    public string? PreviousClientSecret { get; set; }

    /// <summary>
    /// Pinned Admin API version; move forward each quarter (shopify.dev/docs/api/usage/versioning). A bump is this
    /// line plus Shopify's schema of the new version in Shopify/Schema/, which the schema tests then validate against.
    /// </summary>
    public string ApiVersion { get; set; } = "2026-10";

    /// <summary>Base URL of a shop's Admin API; <c>{shop}</c> is replaced by the myshopify domain.</summary>
    public string AdminBaseUrl { get; set; } = "https://{shop}";

    /// <summary>
    /// Access scopes asked for at install (comma separated): orders for referrals, discounts and store credit for
    /// rewards, write_customers for thanking (customer metafields and tag).
    /// </summary>
    public string Scopes { get; set; } =
        "read_orders,read_customers,write_customers,read_discounts,write_discounts,write_store_credit_account_transactions";

    /// <summary>Public URL of this app (OAuth redirects, app proxy).</summary>
    public string AppUrl { get; set; } = "";

    /// <summary>Timeout of one attempt (one HTTP request), not of the call with its retries.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Timeout of one request to the token endpoint (install, token exchange, refresh). A refresh is not bounded by
    /// the timeout of the Admin call that needed it, and its lease lasts twice this, so no second instance starts a
    /// refresh while the first one's request may still be answered.
    /// </summary>
    public TimeSpan TokenRequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries after the first attempt, for 429, 5xx, THROTTLED, network errors and timeouts.</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>First backoff delay; later ones grow exponentially, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest single wait, whatever Retry-After or the throttle status asks for.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Shortest wait after THROTTLED; Shopify advises backing off at least a second.</summary>
    public TimeSpan MinThrottleDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Cost assumed for a document before Shopify has reported its requestedQueryCost.</summary>
    public double DefaultQueryCost { get; set; } = 50;

    public string AdminUrl(string shop) => AdminBaseUrl.Replace("{shop}", shop, StringComparison.Ordinal).TrimEnd('/');
}
