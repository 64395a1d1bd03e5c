using Dapper;
using ShopifyReferral.Data;

namespace ShopifyReferral.Referrals;

/// <summary>The latest recorded state of one order, plus its refunds: what the engine judges.</summary>
public sealed record OrderFacts
{
    public string Shop { get; init; } = "";
    public long OrderId { get; init; }
    public string? Name { get; init; }
    public long? CustomerId { get; init; }
    public string? Email { get; init; }
    public string? FinancialStatus { get; init; }
    public bool Cancelled { get; init; }
    public bool Test { get; init; }
    public string? Currency { get; init; }
    /// <summary>Shopify's total_price in minor units: the original total, which no refund lowers.</summary>
    public long? TotalMinor { get; init; }

    /// <summary>current_subtotal_price in minor units: after discounts, before tax and shipping; refunds lower it.</summary>
    public long? DiscountedSubtotalMinor { get; init; }

    /// <summary>Shopify's subtotal_price: after discounts, as ordered; unlike current_subtotal_price no refund lowers it.</summary>
    public long? SubtotalMinor { get; init; }
    public string? EmailKey { get; init; }
    public string? DiscountCodes { get; init; }
    public long OrderUpdatedAt { get; init; }
    public long? CreatedAt { get; init; }
    public string? Phone { get; init; }
    public string? ShippingFingerprint { get; init; }
    public string? BrowserIp { get; init; }
    public string? UserAgent { get; init; }
    public long RefundedMinor { get; init; }

    /// <summary>The share channel landing_site names (<see cref="ShopifyReferral.Referrals.LandingChannel"/>); null when unknown (a reconciled copy, an older row).</summary>
    public string? LandingChannel { get; init; }

    /// <summary>Refunded line items before tax and shipping (refunds.subtotal_minor).</summary>
    public long RefundedSubtotalMinor { get; init; }

    public IReadOnlyList<string> Codes => (DiscountCodes ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Paid in full or in part; refunded states were paid before.</summary>
    public bool IsPaid => IsPaidStatus(FinancialStatus);

    public static bool IsPaidStatus(string? financialStatus) => financialStatus is "paid" or "partially_paid" or "partially_refunded" or "refunded";

    public decimal Subtotal => Money.FromMinor(DiscountedSubtotalMinor ?? 0, Currency);

    public bool FullyRefunded => FinancialStatus == "refunded" || (TotalMinor > 0 && RefundedMinor >= TotalMinor);

    /// <summary>
    /// What is left of the subtotal after refunds. current_subtotal_price already drops when orders/updated follows a
    /// refund, and refunds/create may arrive before or without it: take the lower of the two views, never both
    /// deductions at once (that would void an order still above the minimum).
    /// </summary>
    public decimal SubtotalAfterRefunds
    {
        get
        {
            var current = DiscountedSubtotalMinor ?? 0;
            var left = Math.Max(0, Math.Min(current, (SubtotalMinor ?? current) - RefundedSubtotalMinor));
            return Money.FromMinor(left, Currency);
        }
    }

    /// <summary>What an order's facts are read from: <see cref="Select"/> and <see cref="SelectWithRefunds"/> both list them.</summary>
    private const string Columns = """
        o.shop, o.order_id, o.name, o.customer_id, o.email, o.financial_status, o.cancelled, o.test, o.currency,
        o.total_minor, o.discounted_subtotal_minor, o.subtotal_minor, o.email_key, o.discount_codes, o.order_updated_at, o.created_at, o.phone,
        o.shipping_fingerprint, o.browser_ip, o.user_agent, o.landing_channel
        """;

    internal const string Select = $"SELECT {Columns} FROM orders o";

    /// <summary>The order and its refunds' sums in one statement: every delivery of an order reads it.</summary>
    private const string SelectWithRefunds = $$"""
        SELECT {{Columns}},
               (SELECT COALESCE(SUM(f.amount_minor), 0) FROM refunds f WHERE f.shop = o.shop AND f.order_id = o.order_id) AS refunded_minor,
               -- A refund recorded before refunds.subtotal existed counts in full: conservative.
               (SELECT COALESCE(SUM(COALESCE(f.subtotal_minor, f.amount_minor)), 0) FROM refunds f
                WHERE f.shop = o.shop AND f.order_id = o.order_id) AS refunded_subtotal_minor
        FROM orders o WHERE o.shop = @shop AND o.order_id = @orderId
        """;

    public static async Task<OrderFacts?> LoadAsync(Db db, string shop, long orderId, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<OrderFacts>(SelectWithRefunds, new { shop, orderId });
    }
}
