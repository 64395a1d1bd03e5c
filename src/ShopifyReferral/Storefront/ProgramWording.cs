using System.Globalization;
using ShopifyReferral.Referrals;

namespace ShopifyReferral.Storefront;

/// <summary>
/// The four answers a referral page owes a shopper (how do I join, what do I get, when, how do I redeem),
/// worded from the shop's active program so the page never promises what the engine will not do. The switches list
/// every reward type and offer with no catch-all, so a new one cannot be worded as another by accident.
/// </summary>
public sealed record ProgramWording(string Headline, string Offer, string Join, string PerReferral, string FriendGets, string When, string Redeem)
{
    public static ProgramWording From(ProgramSettings p, string? currency)
    {
        var reward = Describe(p.Reward.Type, p.Reward.Value, p.Reward.Currency ?? currency, p.Reward.ProductTitle);
        var friend = p.FriendOffer.Type switch
        {
            OfferType.Percentage => $"{Num(p.FriendOffer.Value)}% off",
            OfferType.FixedAmount => $"{Money(p.FriendOffer.Value, currency)} off",
            OfferType.FreeShipping => "free shipping",
            OfferType.FreeProduct => p.FriendOffer.ProductTitle is { Length: > 0 } t ? $"a free {t}" : "a free product",
        };
        var friendMinimum = p.FriendOffer.MinimumSubtotal is { } m ? $" on orders of {Money(m, currency)} or more" : "";
        var orderMinimum = p.MinimumOrderSubtotal > 0 ? $" of at least {Money(p.MinimumOrderSubtotal, currency)} (after discounts, before tax and shipping)" : "";
        var newOnly = p.NewCustomersOnly ? " Your friend must be a new customer of the shop." : "";
        var cap = p.YearlyCapPerReferrer is { } c ? $" You can earn up to {c} referral rewards a year." : "";
        if (p.YearlyValueCapPerReferrer is { } v) cap += $" Rewards are capped at {Money(v, currency)} a year.";
        var milestones = p.Milestones.Count == 0 ? "" :
            " Bonus: " + string.Join("; ", p.Milestones.OrderBy(x => x.At).Select(x => $"{Describe(x.Reward.Type, x.Reward.Value, x.Reward.Currency ?? currency, x.Reward.ProductTitle)} when {x.At} friends have ordered")) + ".";

        var when = p.HoldDays == 0
            ? $"As soon as your friend's first order{orderMinimum} is paid."
            : $"{p.HoldDays} days after your friend's first order{orderMinimum} is paid, once the return window has passed. If the order is cancelled or refunded, there is no reward for it.";
        var redeem = p.Reward.Type switch
        {
            RewardType.StoreCredit => "Your reward is added to your store credit balance. Log in to your account at checkout and the credit is applied to your order.",
            RewardType.GiftCard => $"Your reward is a gift card, shown on this page under \"Your rewards\" and valid for {p.Reward.ExpiresInDays} days. Enter its code at checkout to pay with it.",
            RewardType.FreeProduct => $"Your reward is a single-use code, shown on this page under \"Your rewards\" and valid for {p.Reward.ExpiresInDays} days. Add the product to your cart and enter the code at checkout: one is free.",
            RewardType.Percentage or RewardType.FixedAmount or RewardType.FreeShipping =>
                $"Your reward is a single-use discount code, shown on this page under \"Your rewards\" and valid for {p.Reward.ExpiresInDays} days. Enter it at checkout.",
        };
        return new(
            Headline: $"Give {friend}, get {reward}",
            Offer: $"Get {friend}{friendMinimum}",
            Join: p.AutoEnrolPayingCustomers
                ? "Log in to your account and press \"Join\" to get your own code and link at once. Customers who place an order are also enrolled automatically."
                : "Log in to your account and press \"Join\". You get your own code and share link at once; joining is free.",
            PerReferral: $"For every friend who places their first order with your link or code, you get {reward}.{milestones}{cap}",
            FriendGets: $"Your friend gets {friend}{friendMinimum} with your code.{newOnly}",
            When: when,
            Redeem: redeem);
    }

    /// <param name="product">A free product's title (null words it as "a free product").</param>
    public static string Describe(RewardType type, decimal value, string? currency, string? product = null) => type switch
    {
        RewardType.Percentage => $"{Num(value)}% off your next order",
        RewardType.FixedAmount => $"{Money(value, currency)} off your next order",
        RewardType.FreeShipping => "free shipping on your next order",
        RewardType.StoreCredit => $"{Money(value, currency)} in store credit",
        RewardType.GiftCard => $"a {Money(value, currency)} gift card",
        RewardType.FreeProduct => product is { Length: > 0 } ? $"a free {product}" : "a free product",
    };

    public static string Money(decimal value, string? currency) =>
        value.ToString(value == decimal.Truncate(value) ? "0" : "0.00", CultureInfo.InvariantCulture) + (currency is { Length: > 0 } ? " " + currency : "");

    private static string Num(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
