namespace ShopifyReferral.Shopify;

public enum DiscountKind { Percentage, FixedAmount, FreeShipping, FreeProduct }

public sealed record DiscountCombinations(bool OrderDiscounts, bool ProductDiscounts, bool ShippingDiscounts)
{
    public static readonly DiscountCombinations None = new(false, false, false);
}

/// <summary>What to create; checked by <see cref="Validate"/> before anything is sent.</summary>
public sealed record CodeDiscountSpec
{
    /// <summary>context.customers.add takes at most 250 ids per call (shopify.dev/docs/api/usage/limits).</summary>
    public const int MaxCustomers = 250;

    public required string Title { get; init; }
    public required string Code { get; init; }
    public required DateTimeOffset StartsAt { get; init; }
    public DateTimeOffset? EndsAt { get; init; }

    /// <summary>Customer gids allowed to use the code; null or empty means every buyer.</summary>
    public IReadOnlyList<string>? CustomerGids { get; init; }

    public required DiscountKind Kind { get; init; }

    /// <summary>Percentage: a fraction, 0.1 for 10 %. FixedAmount: money in shop currency. FreeShipping: unused. FreeProduct: the item's price.</summary>
    public decimal Value { get; init; }

    public decimal? MinimumSubtotal { get; init; }

    /// <summary>FreeProduct: the product or variant gid the code makes free (one item, 100 % off).</summary>
    public string? ProductGid { get; init; }

    public int? UsageLimit { get; init; }
    public bool AppliesOncePerCustomer { get; init; }
    public DiscountCombinations CombinesWith { get; init; } = DiscountCombinations.None;

    public static bool IsProductGid(string? id) =>
        id is not null && System.Text.RegularExpressions.Regex.IsMatch(id, "^gid://shopify/(Product|ProductVariant)/[1-9][0-9]{0,18}$");

    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Title, nameof(Title));
        ArgumentException.ThrowIfNullOrWhiteSpace(Code, nameof(Code));
        if (EndsAt <= StartsAt)
            throw new ArgumentException("EndsAt must be after StartsAt.", nameof(EndsAt));
        if (CustomerGids is { Count: > MaxCustomers })
            throw new ArgumentException($"At most {MaxCustomers} customers per discount call.", nameof(CustomerGids));
        if (CustomerGids?.Any(g => !g.StartsWith("gid://shopify/Customer/", StringComparison.Ordinal)) == true)
            throw new ArgumentException("Customer ids must be gid://shopify/Customer/… gids.", nameof(CustomerGids));
        // Shopify reads percentage as a fraction: 10 would not mean 10 %.
        if (Kind == DiscountKind.Percentage && Value is <= 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(Value), Value, "Percentage is a fraction in (0, 1]: pass 0.1 for 10 %.");
        if (Kind is DiscountKind.FixedAmount or DiscountKind.FreeProduct && Value <= 0)
            throw new ArgumentOutOfRangeException(nameof(Value), Value, "FixedAmount must be positive.");
        if (Kind == DiscountKind.FreeProduct && !IsProductGid(ProductGid))
            throw new ArgumentException("A free product names a gid://shopify/Product/… or ProductVariant/… gid.", nameof(ProductGid));
        if (MinimumSubtotal <= 0)
            throw new ArgumentOutOfRangeException(nameof(MinimumSubtotal), MinimumSubtotal, "MinimumSubtotal must be positive.");
        if (UsageLimit <= 0)
            throw new ArgumentOutOfRangeException(nameof(UsageLimit), UsageLimit, "UsageLimit must be positive (null = unlimited).");
    }
}

/// <summary>A created code discount; <see cref="DiscountGid"/> is a gid://shopify/DiscountCodeNode/… id.</summary>
public sealed record CreatedDiscount(string DiscountGid, string Code, string Status);

public sealed record FoundDiscount(
    string DiscountGid, string Type, string? Title, string? Status, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, int? UsageCount);

public sealed record StoreCreditResult(
    string TransactionId, string AccountId, decimal Amount, string Currency, decimal BalanceAfter, DateTimeOffset? ExpiresAt);

/// <summary>
/// A product (or one variant of it) as a free-product reward needs it, the price in the shop's currency; Status is
/// ACTIVE, DRAFT, ARCHIVED or UNLISTED; Published is whether the online store sells it.
/// </summary>
public sealed record RewardProduct(string Gid, string Title, string Status, bool Published, decimal? Price);

/// <summary>A gift card to create: code 8-20 letters and digits, a customer gid, an expiry date, a note.</summary>
public sealed record GiftCardSpec(string Code, decimal Amount, string Currency, string CustomerGid, DateOnly? ExpiresOn, string Note);

/// <summary>A gift card; the full code is readable only when it is created, so a found one carries its last characters.</summary>
public sealed record GiftCardInfo(string Gid, string LastCharacters, string? Note, decimal InitialValue, decimal Balance, string Currency, bool Enabled);

public sealed record OrdersPage(IReadOnlyList<ShopifyOrder> Orders, bool HasNextPage, string? EndCursor);

/// <summary>
/// An order as reconciliation needs it; money is the shop currency amount. <see cref="Total"/> and
/// <see cref="Subtotal"/> are the figures as ordered (a refund never lowers them, as in the webhooks' total_price
/// and subtotal_price); <see cref="CurrentSubtotal"/> is after refunds.
/// </summary>
public sealed record ShopifyOrder(
    string Gid,
    long LegacyId,
    string Name,
    string? Email,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? CancelledAt,
    bool Test,
    string? FinancialStatus,
    IReadOnlyList<string> DiscountCodes,
    string? CustomerGid,
    string? CustomerEmail,
    long? CustomerNumberOfOrders,
    decimal? Subtotal,
    decimal CurrentSubtotal,
    decimal Total,
    string Currency);

/// <summary>An order and its buyer as the thank-you block needs them; the customer fields are null for a guest order.</summary>
public sealed record OrderBuyer(
    string Gid,
    long LegacyId,
    string Name,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CancelledAt,
    bool Test,
    string? FinancialStatus,
    IReadOnlyList<string> DiscountCodes,
    long? CustomerId,
    string? CustomerFirstName,
    string? CustomerLastName,
    string? CustomerEmail)
{
    /// <summary>Paid in full or in part (refunded states were paid first), as Shopify's display status says.</summary>
    public bool IsPaid => FinancialStatus is "PAID" or "PARTIALLY_PAID" or "PARTIALLY_REFUNDED" or "REFUNDED";
}
