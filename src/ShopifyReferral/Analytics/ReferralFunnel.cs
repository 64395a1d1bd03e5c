namespace ShopifyReferral.Analytics;

/// <summary>
/// The referral funnel for the whole range (README, "KPIs", "The funnel"): who saw the program, shared, brought an
/// order, earned a reward. Views are by surface, not channel: a shopper sees a page before choosing a channel.
/// </summary>
/// <param name="PageViews">Views of the three surfaces in the range.</param>
/// <param name="PageViewsBySurface">referral_page (the storefront page), thank_you (the thank-you and order-status block), account (the customer-account page).</param>
/// <param name="Total">The steps over every channel.</param>
/// <param name="Channels">Each channel with a click or a referred order in the range: the share channels, direct
/// (a tracked link without a channel), other (an unknown channel), code (the code typed, no link), unknown (before channels were recorded).</param>
public sealed record ReferralFunnel(
    long PageViews, IReadOnlyDictionary<string, long> PageViewsBySurface, FunnelChannel Total, IReadOnlyList<FunnelChannel> Channels);

/// <param name="ShareClicks">Tracked link clicks in the range on the channel (share_clicks).</param>
/// <param name="ReferredOrders">Referred orders placed in the range that came through the channel.</param>
/// <param name="RewardedReferrals">Of those, the referrals rewarded by now.</param>
/// <param name="ConversionRate">ReferredOrders / ShareClicks × 100; null without clicks (code, unknown).</param>
/// <param name="RewardedRate">RewardedReferrals / ReferredOrders × 100; null without orders.</param>
public sealed record FunnelChannel(
    string Channel, long ShareClicks, long ReferredOrders, long RewardedReferrals, decimal? ConversionRate, decimal? RewardedRate)
{
    public static FunnelChannel Of(string channel, long clicks, long orders, long rewarded) =>
        new(channel, clicks, orders, rewarded, Percent(orders, clicks), Percent(rewarded, orders));

    private static decimal? Percent(decimal n, decimal d) => d == 0 ? null : Math.Round(n * 100m / d, 2);
}
