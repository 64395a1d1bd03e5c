using ShopifyReferral.Shopify;

namespace ShopifyReferral.Referrals;

public enum OfferType { Percentage, FixedAmount, FreeShipping }

public enum RewardType { Percentage, FixedAmount, FreeShipping, StoreCredit }

public enum ReviewAction { Reject, Review }

/// <summary>What a clawback does with store credit the referrer already spent: a loss, or a debt on their next store credit.</summary>
public enum SpentCredit { Loss, Debt }

/// <summary>What the friend gets at checkout. Percentage is in percent (10 = 10 %).</summary>
public sealed record FriendOffer(
    OfferType Type = OfferType.Percentage, decimal Value = 10m, decimal? MinimumSubtotal = null, bool OncePerCustomer = true,
    bool CombinesWithOrderDiscounts = false, bool CombinesWithProductDiscounts = false, bool CombinesWithShippingDiscounts = true);

/// <summary>
/// What the referrer earns per successful referral. Codes are single use and expire after ExpiresInDays.
/// Currency (store credit, fixed amounts): null means the currency of the friend's order, which is the shop's.
/// </summary>
public sealed record ReferrerReward(RewardType Type = RewardType.FixedAmount, decimal Value = 10m, int ExpiresInDays = 90, string? Currency = null);

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
        Check(FriendOffer.Type == OfferType.FreeShipping || FriendOffer.Value > 0, "friendOffer.value", "Must be more than 0.");
        Check(FriendOffer.Type != OfferType.Percentage || FriendOffer.Value <= 100, "friendOffer.value", "A percentage cannot be above 100.");
        Check(FriendOffer.MinimumSubtotal is null or > 0, "friendOffer.minimumSubtotal", "Must be more than 0, or left empty.");
        Check(Reward.Type == RewardType.FreeShipping || Reward.Value > 0, "reward.value", "Must be more than 0.");
        Check(Reward.Type != RewardType.Percentage || Reward.Value <= 100, "reward.value", "A percentage cannot be above 100.");
        Check(Reward.ExpiresInDays is >= 1 and <= 3650, "reward.expiresInDays", "Must be between 1 and 3650 days.");
        Check(Reward.Currency is null || (Reward.Currency.Length == 3 && Reward.Currency.All(char.IsAsciiLetterUpper)), "reward.currency",
            "A three-letter ISO 4217 code in capitals, e.g. USD, or left empty for the shop's currency.");
        Check(MinimumOrderSubtotal >= 0, "minimumOrderSubtotal", "Cannot be negative.");
        Check(HoldDays is >= 0 and <= 365, "holdDays", "Must be between 0 and 365 days.");
        Check(YearlyCapPerReferrer is null or > 0, "yearlyCapPerReferrer", "Must be more than 0, or left empty for no cap.");
        Check(Fraud.MaxFriendsPerIpPerDay >= 1, "fraud.maxFriendsPerIpPerDay", "Must be at least 1.");
        for (var i = 0; i < Milestones.Count; i++)
        {
            Check(Milestones[i].At >= 2, $"milestones[{i}].at", "A milestone is reached at the 2nd referral or later.");
            Check(Milestones[i].Reward.Type == RewardType.FreeShipping || Milestones[i].Reward.Value > 0, $"milestones[{i}].reward.value", "Must be more than 0.");
        }
        Check(Milestones.Select(m => m.At).Distinct().Count() == Milestones.Count, "milestones", "Two milestones at the same count.");
        return errors;
    }

    // Every value listed, no catch-all: a new offer type must say which discount it is (RewardTypes says why).
    internal static DiscountKind ToKind(OfferType t) => t switch
    {
        OfferType.Percentage => DiscountKind.Percentage,
        OfferType.FixedAmount => DiscountKind.FixedAmount,
        OfferType.FreeShipping => DiscountKind.FreeShipping,
    };
}
