namespace ShopifyReferral.Events;

/// <summary>The event types a merchant can subscribe to, and the plain-words reasons refusals carry.</summary>
public static class EventTypes
{
    public const string ReferrerEnrolled = "referrer.enrolled";
    public const string ReferralCreated = "referral.created";
    public const string ReferralInReview = "referral.in_review";
    public const string ReferralApproved = "referral.approved";
    public const string ReferralRejected = "referral.rejected";
    public const string ReferralVoided = "referral.voided";
    public const string RewardOwed = "reward.owed";
    public const string RewardIssued = "reward.issued";
    public const string RewardRedeemed = "reward.redeemed";
    public const string RewardClawedBack = "reward.clawed_back";
    public const string RewardLost = "reward.lost";

    public static readonly IReadOnlyList<string> All =
    [
        ReferrerEnrolled, ReferralCreated, ReferralInReview, ReferralApproved, ReferralRejected, ReferralVoided,
        RewardOwed, RewardIssued, RewardRedeemed, RewardClawedBack, RewardLost,
    ];

    /// <summary>
    /// Why a rule refused or held a referral, in words that leave out what the rule's own evidence may hold (the
    /// emails, IP addresses and merchant notes the dashboard shows): events leave the app, so they carry no personal data.
    /// </summary>
    public static string Reason(string rule) => rule switch
    {
        "test_order" => "It was a test order; test orders never earn rewards.",
        "blocked_referrer" => "The referrer is blocked.",
        "minimum" => "The order's subtotal is under the program's minimum.",
        "self_referral" => "The order looks like the referrer's own (same account, email, phone, address or browser).",
        "friend_not_new" => "The friend had ordered before; the program rewards new customers only.",
        "velocity" => "Too many friends of this referrer ordered from one place within a day.",
        "cap" => "The referrer reached the program's yearly cap.",
        "merchant" => "The merchant rejected it.",
        _ => $"The rule {rule} refused it.",
    };
}
