namespace ShopifyReferral.Sandbox.State;

/// <summary>One redeem code of a code discount, with how many orders used it.</summary>
public sealed record SandboxRedeemCode(long Id, string Code, int UsageCount = 0);

/// <summary>
/// A code discount (DiscountCodeBasic or DiscountCodeFreeShipping) as the sandbox stores it.
/// <see cref="Percentage"/> is a fraction 0..1 as in the Admin API (docs/shopify-facts.md#discount-codes).
/// </summary>
public sealed record SandboxDiscount
{
    public required long Id { get; init; }
    public required DiscountKind Kind { get; init; }
    public required string Title { get; init; }
    public required IReadOnlyList<SandboxRedeemCode> Codes { get; init; }
    public required DateTimeOffset StartsAt { get; init; }
    public DateTimeOffset? EndsAt { get; init; }
    /// <summary>Customer GIDs from <c>context.customers.add</c>; empty means all buyers.</summary>
    public IReadOnlyList<string> CustomerIds { get; init; } = [];
    /// <summary>customerGets.items.products: the product and variant GIDs it applies to; both empty means all items.</summary>
    public IReadOnlyList<string> ProductIds { get; init; } = [];
    public IReadOnlyList<string> VariantIds { get; init; } = [];
    public decimal? Percentage { get; init; }
    public decimal? Amount { get; init; }
    public bool AppliesOnEachItem { get; init; }
    public decimal? MinimumSubtotal { get; init; }
    public int? MinimumQuantity { get; init; }
    public decimal? MaximumShippingPrice { get; init; }
    public int? UsageLimit { get; init; }
    public bool AppliesOncePerCustomer { get; init; }
    public bool CombinesWithOrderDiscounts { get; init; }
    public bool CombinesWithProductDiscounts { get; init; }
    public bool CombinesWithShippingDiscounts { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    public string Gid => $"gid://shopify/DiscountCodeNode/{Id}";
    public int UsageCount => Codes.Sum(c => c.UsageCount);

    /// <summary>DiscountStatus; deactivation sets EndsAt to now, which is how Shopify expires a code.</summary>
    public string Status(DateTimeOffset now) =>
        now < StartsAt ? "SCHEDULED" : EndsAt is { } end && end <= now ? "EXPIRED" : "ACTIVE";
}

public enum DiscountKind
{
    Basic,
    FreeShipping,
}

/// <summary>One discountRedeemCodeBulkAdd job and what it did.</summary>
public sealed record SandboxBulkCreation(long Id, long DiscountId, int CodesCount, int ImportedCount, int FailedCount, DateTimeOffset CreatedAt);
