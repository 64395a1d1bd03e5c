namespace ShopifyReferral.Sandbox.State;

/// <summary>An order the sandbox has "taken", kept for the GraphQL <c>orders</c> query and inspection.</summary>
public sealed record PlacedOrder(
    long Id,
    int OrderNumber,
    SandboxOrder Source,
    long? CustomerId,
    decimal DiscountAmount,
    string? DiscountType,
    string FinancialStatus,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>Line-item subtotal refunded so far (refunds carry no tax or shipping here).</summary>
    public decimal Refunded { get; init; }

    public DateTimeOffset? CancelledAt { get; init; }

    public string Name => $"#{OrderNumber}";
    public string Gid => $"gid://shopify/Order/{Id}";
    /// <summary>total_price: the original total, which refunds never lower (current_total_price does).</summary>
    public decimal TotalPrice => Math.Max(0, Source.Subtotal - DiscountAmount) + Source.Tax + Source.Shipping;

    /// <summary>subtotal_price: after discounts, as ordered.</summary>
    public decimal SubtotalPrice => Math.Max(0, Source.Subtotal - DiscountAmount);

    public decimal CurrentSubtotal => Math.Max(0, SubtotalPrice - Refunded);

    public decimal CurrentTotal => Math.Max(0, TotalPrice - Refunded);
}
