using Microsoft.Extensions.Options;
using ShopifyReferral.Merchant;
using ShopifyReferral.Referrals;
using ShopifyReferral.Shopify;
using ShopifyReferral.Storefront;

namespace ShopifyReferral.Extensions;

/// <summary>
/// GET /extensions/referrer: the logged-in customer's own referral page in customer accounts (code, link, friends who
/// ordered, rewards). Read-only: it never enrols, so opening the page changes nothing.
/// </summary>
public sealed class ReferrerAccount(
    ProgramStore programs, ReferrerService referrers, StorefrontStore store, IOptions<ShopifyOptions> shopify, TimeProvider time)
{
    public async Task<ReferrerAnswer> AnswerAsync(string shop, long customerId, CancellationToken ct)
    {
        var program = (await programs.GetActiveAsync(shop, ct)).Settings;
        var currency = await store.CurrencyAsync(shop, ct);
        var wording = ProgramWording.From(program, currency);
        var referrer = await referrers.FindAsync(shop, customerId, ct);
        if (referrer is null)
            return new ReferrerAnswer(false, program.Enabled)
            {
                Headline = program.Enabled ? wording.Headline : null,
                Offer = program.Enabled ? wording.FriendGets : null,
                Join = program.Enabled ? wording.Join : null,
            };

        var appUrl = shopify.Value.AppUrl.TrimEnd('/');
        // A paused program or a blocked referrer keeps the history on the page, but offers nothing more to share.
        var removed = referrer.CodeStatus == Discounts.DiscountChangeHandler.Deleted; // deleted in Shopify: never offered
        var share = program.Enabled && !referrer.Blocked && !removed;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        return new ReferrerAnswer(true, program.Enabled)
        {
            Headline = wording.Headline,
            Offer = wording.FriendGets,
            Code = removed ? null : referrer.Code,
            CodeRemoved = removed,
            ShareUrl = share ? ExtensionShare.ShareUrl(appUrl, referrer) : null,
            Channels = share ? ExtensionShare.For(appUrl, referrer, wording) : [],
            Blocked = referrer.Blocked,
            Referrals = await store.ReferralsAsync(referrer.Id, ct),
            Rewards = [.. (await store.RewardsAsync(referrer.Id, ct)).Select(r => Reward(r, currency, now))],
        };
    }

    /// <summary>Expired is issued and past its date; only a code still usable (or the one used) is shown.</summary>
    private static AccountReward Reward(ShopperReward r, string? currency, long now)
    {
        var status = r.Status == "issued" && r.ExpiresAt <= now ? "expired" : r.Status;
        return new AccountReward(ProxyPage.RewardText(r, currency), status is "issued" or "redeemed" ? r.Code : null, status,
            r.ExpiresAt is { } e ? DateTimeOffset.FromUnixTimeMilliseconds(e) : null, DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAt));
    }
}
