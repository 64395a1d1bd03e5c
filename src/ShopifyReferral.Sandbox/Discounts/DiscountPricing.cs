using ShopifyReferral.Sandbox.State;

namespace ShopifyReferral.Sandbox.Discounts;

/// <summary>What checkout does with a discount code: price it, and count its use.</summary>
internal static class DiscountPricing
{
    /// <summary>
    /// Checkout refuses a code whose discount is not active (deactivated, ended or not started), as Shopify does: the
    /// order cannot be placed with it. A code the sandbox does not know is let through, so tests can place orders
    /// carrying codes of discounts they never created.
    /// </summary>
    public static void EnsureUsable(ShopState shop, SandboxOrder order, DateTimeOffset now)
    {
        if (order.DiscountCode is not { } code || shop.FindDiscountByCode(code) is not { } discount) return;
        var status = discount.Status(now);
        if (status != "ACTIVE") throw new CheckoutRefusedException(code, status);
    }

    /// <summary>(amount deducted, REST <c>discount_codes[].type</c>); an explicit amount on the order wins.</summary>
    public static (decimal Amount, string? Type) Price(ShopState shop, SandboxOrder order)
    {
        if (order.DiscountCode is not { } code) return (0m, null);
        var discount = shop.FindDiscountByCode(code);
        var type = discount switch
        {
            { Kind: DiscountKind.FreeShipping } => "shipping",
            { Percentage: not null } => "percentage",
            _ => "fixed_amount",
        };
        if (order.DiscountAmount is { } given) return (given, type);
        var amount = discount switch
        {
            null => 0m,
            { Kind: DiscountKind.FreeShipping } => order.Shipping,
            { Percentage: { } p } => Math.Round(order.Subtotal * p, 2, MidpointRounding.AwayFromZero),
            { Amount: { } a } => Math.Min(a, order.Subtotal),
            _ => 0m,
        };
        return (amount, type);
    }

    /// <summary>Bumps the usage count of the code the order used (asyncUsageCount on Shopify).</summary>
    public static void CountUse(ShopState shop, PlacedOrder order)
    {
        if (order.Source.DiscountCode is not { } code) return;
        lock (shop.Gate)
        {
            if (shop.FindDiscountByCode(code) is not { } discount) return;
            var codes = discount.Codes.Select(c => string.Equals(c.Code, code, StringComparison.OrdinalIgnoreCase)
                ? c with { UsageCount = c.UsageCount + 1 } : c).ToList();
            shop.ReplaceDiscount(discount with { Codes = codes });
        }
    }
}
