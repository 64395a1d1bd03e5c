namespace ShopifyReferral.Sandbox;

/// <summary>
/// What a test wants to happen at checkout. The sandbox turns it into a REST Order payload
/// (snake_case, string money, int64 ids; docs/shopify-facts.md#webhook-payloads). A null customer means a guest checkout.
/// </summary>
public sealed record SandboxOrder
{
    /// <summary>0 lets the sandbox assign a realistic 13-digit id.</summary>
    public long Id { get; init; }

    /// <summary>Null for a guest checkout, which Shopify sends as <c>"customer": null</c>.</summary>
    public long? CustomerId { get; init; }

    public string? Email { get; init; } = "buyer@example.com";
    public string? FirstName { get; init; } = "Sam";
    public string? LastName { get; init; } = "Lee";
    public decimal Subtotal { get; init; } = 90m;
    public decimal Tax { get; init; }
    public decimal Shipping { get; init; }

    /// <summary>The code typed at checkout, or null.</summary>
    public string? DiscountCode { get; init; }

    /// <summary>Amount deducted; null computes it from the sandbox discount with that code (0 if unknown).</summary>
    public decimal? DiscountAmount { get; init; }

    public bool Test { get; init; }
    public string? BrowserIp { get; init; } = "203.0.113.7";
    public string? UserAgent { get; init; } = "Mozilla/5.0 (X11; Linux x86_64) SandboxBrowser/1.0";
    public string? LandingSite { get; init; }
    public string? ReferringSite { get; init; }
    public string SourceName { get; init; } = "web";
    public IReadOnlyDictionary<string, string> NoteAttributes { get; init; } = new Dictionary<string, string>();
    public bool WithShippingAddress { get; init; } = true;

    /// <summary>When the order was placed (and, a minute later, paid); null is now. A past time replays history.</summary>
    public DateTimeOffset? PlacedAt { get; init; }
}
