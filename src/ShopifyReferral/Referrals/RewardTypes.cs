using ShopifyReferral.Shopify;

namespace ShopifyReferral.Referrals;

/// <summary>
/// What each reward type and friend offer becomes in Shopify. Every switch over these enums lists each value and has
/// no catch-all arm: a new value does not compile until each place says what it does with it (Directory.Build.props).
/// </summary>
public static class RewardTypes
{
    /// <summary>The type of a stored reward row (<c>rewards.reward_type</c>, e.g. fixed_amount); null for a name this version does not know.</summary>
    public static RewardType? TryParse(string? stored)
    {
        foreach (var type in Enum.GetValues<RewardType>())
            if (ProgramStore.EnumName(type) == stored) return type;
        return null;
    }

    /// <summary>A discount code limited to the referrer, or (null) store credit on their account.</summary>
    public static DiscountKind? CodeKind(RewardType type) => type switch
    {
        RewardType.Percentage => DiscountKind.Percentage,
        RewardType.FixedAmount => DiscountKind.FixedAmount,
        RewardType.FreeShipping => DiscountKind.FreeShipping,
        RewardType.StoreCredit => null,
    };

    /// <summary>The Admin API's value for a discount: a fraction for a percentage (10 % is 0.1), money otherwise, unused for free shipping.</summary>
    public static decimal ShopifyValue(DiscountKind kind, decimal value) => kind switch
    {
        DiscountKind.Percentage => value / 100m,
        DiscountKind.FixedAmount => value,
        DiscountKind.FreeShipping => 0m,
    };
}
