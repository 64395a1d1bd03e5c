using ShopifyReferral.Shopify;

namespace ShopifyReferral.Referrals;

public enum OfferType { Percentage, FixedAmount, FreeShipping, FreeProduct }

public enum RewardType { Percentage, FixedAmount, FreeShipping, StoreCredit, FreeProduct, GiftCard }

public enum ReviewAction { Reject, Review }

/// <summary>What a clawback does with store credit the referrer already spent: a loss, or a debt on their next store credit.</summary>
public enum SpentCredit { Loss, Debt }

/// <summary>
/// What the friend gets at checkout. Percentage is in percent (10 = 10 %). A free product names its product or variant
/// gid and title; the code takes its price off one of it.
/// </summary>
public sealed record FriendOffer(
    OfferType Type = OfferType.Percentage, decimal Value = 10m, decimal? MinimumSubtotal = null, bool OncePerCustomer = true,
    bool CombinesWithOrderDiscounts = false, bool CombinesWithProductDiscounts = false, bool CombinesWithShippingDiscounts = true,
    string? ProductId = null, string? ProductTitle = null);

/// <summary>
/// What the referrer earns per successful referral. Codes are single use and expire after ExpiresInDays.
/// Currency (store credit, gift cards, fixed amounts): null means the currency of the friend's order, which is the shop's.
/// A free product names the product (or one variant) by its gid, with the title the merchant picked it by; its Value is
/// the product's price as the merchant expects it (only the value cap reads it: the issued reward records the price
/// Shopify has). A gift card's Value is its face value and ExpiresInDays its expiry.
/// </summary>
public sealed record ReferrerReward(RewardType Type = RewardType.FixedAmount, decimal Value = 10m, int ExpiresInDays = 90, string? Currency = null,
    string? ProductId = null, string? ProductTitle = null);

/// <summary>An extra reward when the referrer's successful referrals reach <see cref="At"/>.</summary>
public sealed record Milestone(int At, ReferrerReward Reward);

/// <summary>Thresholds for the fraud and eligibility rules.</summary>
public sealed record FraudThresholds(int MaxFriendsPerIpPerDay = 2, ReviewAction SelfReferral = ReviewAction.Reject, ReviewAction Velocity = ReviewAction.Review);

/// <summary>
/// A shop's referral program. Stored as JSON per version; a change is a new version, so a referral keeps
/// the version it was judged under and changes never alter rewards already earned.
/// </summary>
public sealed record ProgramSettings
{
    public FriendOffer FriendOffer { get; init; } = new();
    public ReferrerReward Reward { get; init; } = new();

    /// <summary>Subtotal after discounts, before tax and shipping, the friend's order must reach.</summary>
    public decimal MinimumOrderSubtotal { get; init; }

    public bool NewCustomersOnly { get; init; } = true;

    /// <summary>Days after payment before the reward is issued: the return window. 0 issues at once.</summary>
    public int HoldDays { get; init; } = 14;

    /// <summary>Most rewarded referrals per referrer per calendar year; null for no cap.</summary>
    public int? YearlyCapPerReferrer { get; init; } = 50;

    /// <summary>
    /// Most reward value per referrer per calendar year, in the shop's currency (Koodo's $300); null for no cap. Counts
    /// the money rewards (amounts, store credit, gift cards, free products at their price) not clawed back.
    /// </summary>
    public decimal? YearlyValueCapPerReferrer { get; init; }

    public IReadOnlyList<Milestone> Milestones { get; init; } = [];

    public FraudThresholds Fraud { get; init; } = new();

    public bool AutoEnrolPayingCustomers { get; init; }

    /// <summary>
    /// Whether the program takes new referrers. Off pauses recruiting only (the storefront Join, the thank-you block,
    /// auto-enrolment): codes already out keep working and referrals already made still earn their rewards.
    /// </summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Only a customer with a paid order may become a referrer (an unpaid bank-transfer order must wait).</summary>
    public bool PayingCustomersOnly { get; init; }

    /// <summary>
    /// Store credit taken back after a refund is at most the balance; what was spent already is recorded as a loss
    /// (Loss), or owed and taken from the referrer's next store credit rewards in that currency (Debt).
    /// </summary>
    public SpentCredit SpentCredit { get; init; } = SpentCredit.Loss;

    /// <summary>Every problem, each naming its field, so a settings form can show them all at once.</summary>
    public IReadOnlyDictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        void Check(bool ok, string field, string message) { if (!ok) errors[field] = [message]; }
        Check(FriendOffer.Type is OfferType.FreeShipping or OfferType.FreeProduct || FriendOffer.Value > 0, "friendOffer.value", "Must be more than 0.");
        Check(FriendOffer.Type != OfferType.FreeProduct || (FriendOffer.ProductId is { } fp && RewardTypes.ProductGid(fp) is not null), "friendOffer.productId",
            "A free product names its product or variant, e.g. gid://shopify/Product/123 or gid://shopify/ProductVariant/456.");
        Check(FriendOffer.Type == OfferType.FreeProduct || FriendOffer.ProductId is null, "friendOffer.productId", "Only a free product offer names a product.");
        Check(FriendOffer.Type != OfferType.Percentage || FriendOffer.Value <= 100, "friendOffer.value", "A percentage cannot be above 100.");
        Check(FriendOffer.MinimumSubtotal is null or > 0, "friendOffer.minimumSubtotal", "Must be more than 0, or left empty.");
        Check(Reward.Type is RewardType.FreeShipping or RewardType.FreeProduct || Reward.Value > 0, "reward.value", "Must be more than 0.");
        CheckProduct(Reward, "reward", Check);
        Check(Reward.Type != RewardType.Percentage || Reward.Value <= 100, "reward.value", "A percentage cannot be above 100.");
        Check(Reward.ExpiresInDays is >= 1 and <= 3650, "reward.expiresInDays", "Must be between 1 and 3650 days.");
        Check(Reward.Currency is null || (Reward.Currency.Length == 3 && Reward.Currency.All(char.IsAsciiLetterUpper)), "reward.currency",
            "A three-letter ISO 4217 code in capitals, e.g. USD, or left empty for the shop's currency.");
        Check(MinimumOrderSubtotal >= 0, "minimumOrderSubtotal", "Cannot be negative.");
        Check(HoldDays is >= 0 and <= 365, "holdDays", "Must be between 0 and 365 days.");
        Check(YearlyCapPerReferrer is null or > 0, "yearlyCapPerReferrer", "Must be more than 0, or left empty for no cap.");
        Check(YearlyValueCapPerReferrer is null or > 0, "yearlyValueCapPerReferrer", "Must be more than 0, or left empty for no cap.");
        Check(Fraud.MaxFriendsPerIpPerDay >= 1, "fraud.maxFriendsPerIpPerDay", "Must be at least 1.");
        for (var i = 0; i < Milestones.Count; i++)
        {
            Check(Milestones[i].At >= 2, $"milestones[{i}].at", "A milestone is reached at the 2nd referral or later.");
            Check(Milestones[i].Reward.Type is RewardType.FreeShipping or RewardType.FreeProduct || Milestones[i].Reward.Value > 0, $"milestones[{i}].reward.value", "Must be more than 0.");
            CheckProduct(Milestones[i].Reward, $"milestones[{i}].reward", Check);
        }
        Check(Milestones.Select(m => m.At).Distinct().Count() == Milestones.Count, "milestones", "Two milestones at the same count.");
        return errors;
    }

    /// <summary>A free product names its product or variant by gid; no other reward names one.</summary>
    private static void CheckProduct(ReferrerReward r, string at, Action<bool, string, string> check)
    {
        var named = r.ProductId is { } id && (RewardTypes.ProductGid(id) is not null);
        check(r.Type != RewardType.FreeProduct || named, $"{at}.productId",
            "A free product names its product or variant, e.g. gid://shopify/Product/123 or gid://shopify/ProductVariant/456.");
        check(r.Type == RewardType.FreeProduct || r.ProductId is null, $"{at}.productId", "Only a free product reward names a product.");
        check(r.Type != RewardType.FreeProduct || r.Value >= 0, $"{at}.value", "A product's price cannot be negative.");
    }

    // Every value listed, no catch-all: a new offer type must say which discount it is (RewardTypes says why).
    internal static DiscountKind ToKind(OfferType t) => t switch
    {
        OfferType.Percentage => DiscountKind.Percentage,
        OfferType.FixedAmount => DiscountKind.FixedAmount,
        OfferType.FreeShipping => DiscountKind.FreeShipping,
        OfferType.FreeProduct => DiscountKind.FreeProduct,
    };
}
