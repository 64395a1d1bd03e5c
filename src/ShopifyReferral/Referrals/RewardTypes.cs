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

    /// <summary>A discount code limited to the referrer, or (null) money on their account: store credit or a gift card.</summary>
    public static DiscountKind? CodeKind(RewardType type) => type switch
    {
        RewardType.Percentage => DiscountKind.Percentage,
        RewardType.FixedAmount => DiscountKind.FixedAmount,
        RewardType.FreeShipping => DiscountKind.FreeShipping,
        RewardType.FreeProduct => DiscountKind.FreeProduct,
        RewardType.StoreCredit or RewardType.GiftCard => null,
    };

    /// <summary>
    /// The access scope a type needs beyond the app's defaults, asked for at install only when the shop's program uses
    /// it: Shopify grants gift card access on request only, so a program without gift cards must not need it.
    /// </summary>
    public static string? ExtraScope(RewardType type) => type switch
    {
        RewardType.FreeProduct => "read_products",
        RewardType.GiftCard => "write_gift_cards",
        RewardType.Percentage or RewardType.FixedAmount or RewardType.FreeShipping or RewardType.StoreCredit => null,
    };

    /// <summary>The scopes the program needs beyond the defaults (its reward's, its milestones' and its friend offer's).</summary>
    public static IEnumerable<string> ExtraScopes(ProgramSettings p) =>
        p.Milestones.Select(m => m.Reward.Type).Prepend(p.Reward.Type).Select(ExtraScope)
            .Append(p.FriendOffer.Type == OfferType.FreeProduct ? "read_products" : null).OfType<string>().Distinct();

    /// <summary>A product or variant gid as Shopify writes it, or null for anything else.</summary>
    public static string? ProductGid(string id) => CodeDiscountSpec.IsProductGid(id) ? id : null;

    /// <summary>The Admin API's value for a discount: a fraction for a percentage (10 % is 0.1), money otherwise, unused for free shipping.</summary>
    public static decimal ShopifyValue(DiscountKind kind, decimal value) => kind switch
    {
        DiscountKind.Percentage => value / 100m,
        DiscountKind.FixedAmount => value,
        DiscountKind.FreeShipping => 0m,
        DiscountKind.FreeProduct => value, // the item's price, off once (see ShopifyAdmin)
    };

    // Every type listed (no catch-all), so a new reward type must say whether it is money. A free product's money is
    // its price: the program's figure when owed, Shopify's once issued.
    public static bool IsMoney(RewardType type) => type switch
    {
        RewardType.FixedAmount or RewardType.StoreCredit or RewardType.GiftCard or RewardType.FreeProduct => true,
        RewardType.Percentage or RewardType.FreeShipping => false,
    };
}
