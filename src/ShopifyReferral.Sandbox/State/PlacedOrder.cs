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
    public string Name => $"#{OrderNumber}";
    public string Gid => $"gid://shopify/Order/{Id}";
    public decimal TotalPrice => Math.Max(0, Source.Subtotal - DiscountAmount) + Source.Tax + Source.Shipping;

    /// <summary>Refunded so far (line items only, no tax or shipping in the sandbox's refunds).</summary>
    public decimal Refunded { get; init; }

    /// <summary>Shopify's "current" figures: the original ones less refunds. The original ones never change.</summary>
    public decimal CurrentTotalPrice => Math.Max(0, TotalPrice - Refunded);

    public decimal CurrentSubtotal => Math.Max(0, Source.Subtotal - DiscountAmount - Refunded);
}
