using System.Globalization;
using Microsoft.Extensions.Options;
using ShopifyReferral.Merchant;
using ShopifyReferral.Referrals;
using ShopifyReferral.Shopify;
using ShopifyReferral.Storefront;

namespace ShopifyReferral.Extensions;

/// <summary>The buyer's order id was refused: not an order gid, not this shop's, or another customer's.</summary>
public sealed class OrderRefusedException(int status, string type, string message) : Exception(message)
{
    public int Status => status;
    public string Type => type;
}

/// <summary>
/// POST /extensions/referral: the buyer on the thank-you or order-status page gets their own code. The call usually
/// comes before orders/paid, so the buyer is read from the Admin API, and the enrolment is the same idempotent
/// <see cref="ReferrerService.EnrolAsync"/> auto-enrolment uses: one referrer per customer, whichever comes first.
/// </summary>
public sealed class ThankYouReferral(
    IShopifyAdmin admin, ProgramStore programs, ReferrerService referrers, StorefrontStore store,
    IOptions<ShopifyOptions> shopify, IOptions<ExtensionOptions> options, TimeProvider time)
{
    public const string OrderGidPrefix = "gid://shopify/Order/";
    public const string CustomerGidPrefix = "gid://shopify/Customer/";

    public async Task<ThankYouAnswer> AnswerAsync(ShopSession session, string orderGid, CancellationToken ct)
    {
        var program = (await programs.GetActiveAsync(session.Shop, ct)).Settings;
        if (!program.Enabled) return ThankYouAnswer.Hidden("program_off");

        var order = await admin.GetOrderBuyerAsync(session.Shop, orderGid, ct)
            ?? throw new OrderRefusedException(404, "order-not-found", $"{session.Shop} has no order {orderGid}.");
        // The order id comes from the buyer's page, not from the signed token: tie it to the token's customer, or
        // for a buyer who was not logged in, to an order just placed.
        if (session.UserId is { } sub)
        {
            if (order.CustomerId is not { } owner || sub != CustomerGidPrefix + owner.ToString(CultureInfo.InvariantCulture))
                throw new OrderRefusedException(403, "order-not-yours", "The order belongs to another customer.");
        }
        else if (order.CreatedAt < time.GetUtcNow() - options.Value.GuestOrderWindow) return ThankYouAnswer.Hidden("not_recent");

        if (order.CustomerId is not { } customerId) return ThankYouAnswer.Hidden("guest");
        if (order.CancelledAt is not null) return ThankYouAnswer.Hidden("cancelled");

        var referrer = await referrers.FindAsync(session.Shop, customerId, ct);
        if (referrer is null)
        {
            if (program.PayingCustomersOnly && !order.IsPaid) return ThankYouAnswer.Hidden("not_paid");
            referrer = await referrers.EnrolAsync(session.Shop, customerId, order.CustomerEmail, order.CustomerFirstName, order.CustomerLastName, ct: ct);
        }
        if (referrer.Blocked) return ThankYouAnswer.Hidden("blocked");

        var wording = ProgramWording.From(program, await store.CurrencyAsync(session.Shop, ct));
        var appUrl = shopify.Value.AppUrl.TrimEnd('/');
        // A code the merchant deleted in Shopify is not offered: the block says so instead (CodeRemoved).
        if (referrer.CodeStatus == Discounts.DiscountChangeHandler.Deleted)
            return new ThankYouAnswer(true, null) { Headline = wording.Headline, CodeRemoved = true, Channels = [] };
        return new ThankYouAnswer(true, null)
        {
            Code = referrer.Code,
            ShareUrl = ExtensionShare.ShareUrl(appUrl, referrer),
            Headline = wording.Headline,
            Offer = wording.FriendGets,
            Channels = ExtensionShare.For(appUrl, referrer, wording),
            JoinedThroughFriend = await UsedAFriendsCodeAsync(session.Shop, order, referrer, ct),
            CodeReady = referrer.CodeStatus == "live",
        };
    }

    private async Task<bool> UsedAFriendsCodeAsync(string shop, OrderBuyer order, Referrer self, CancellationToken ct)
    {
        foreach (var code in order.DiscountCodes)
            if (await referrers.FindByCodeAsync(shop, code, ct) is { } friend && friend.Id != self.Id) return true;
        return false;
    }

    /// <summary>The order id the extension sends: <c>gid://shopify/Order/{digits}</c>; null when it is not one.</summary>
    public static string? ParseOrderGid(string? value) =>
        value is { Length: > 20 and < 64 } && value.StartsWith(OrderGidPrefix, StringComparison.Ordinal)
        && long.TryParse(value[OrderGidPrefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
            ? value : null;

    /// <summary>The customer id in a token's sub (<c>gid://shopify/Customer/{digits}</c>); null when it is not one.</summary>
    public static long? ParseCustomerGid(string? sub) =>
        sub is not null && sub.StartsWith(CustomerGidPrefix, StringComparison.Ordinal)
        && long.TryParse(sub[CustomerGidPrefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
            ? id : null;
}
