using System.Data.Common;
using Dapper;
using ShopifyReferral.Referrals;
using ShopifyReferral.Storefront;

namespace ShopifyReferral.Analytics;

/// <summary>
/// The funnel's queries (README, "KPIs", "The funnel"): page views by surface, share clicks, referred orders and
/// rewarded referrals by channel, for [@from, @to) in Unix ms. Apart from the KPI queries (AnalyticsQueries) on purpose:
/// those are per bucket, the funnel is one figure per step for the whole range.
/// </summary>
internal static class FunnelQueries
{
    /// <summary>The channel of a referral from before channels were recorded (migration 0052), or of an order only reconciliation saw.</summary>
    public const string Unknown = "unknown";

    public const string PageViews = """
        SELECT surface AS channel, SUM(views) AS n
        FROM page_view_days WHERE shop = @shop AND day >= @from AND day < @to
        GROUP BY surface
        """;

    public const string Clicks = """
        SELECT channel, COUNT(*) AS n
        FROM share_clicks WHERE shop = @shop AND clicked_at >= @from AND clicked_at < @to
        GROUP BY channel
        """;

    // The referred orders of the range as every KPI counts them (the order row's facts), each joined to its one referral
    // by the UNIQUE (shop, order_id) key for the channel and whether it has been rewarded: only referred orders are
    // joined, a small share of the range's orders.
    public const string ReferredOrders = """
        SELECT COALESCE(r.channel, 'unknown') AS channel, COUNT(*) AS n,
               SUM(CASE WHEN r.status = 'rewarded' THEN 1 ELSE 0 END) AS rewarded
        FROM orders o JOIN referrals r ON r.shop = o.shop AND r.order_id = o.order_id
        WHERE o.shop = @shop AND o.counted = 1 AND o.referred = 1 AND o.created_at >= @from AND o.created_at < @to
              AND r.status <> 'rejected'
        GROUP BY COALESCE(r.channel, 'unknown')
        """;

    /// <summary>Channels in the order the dashboard lists them: the share buttons, then links without a channel, typed codes, unknown.</summary>
    private static readonly string[] Order = [.. ShareLinks.Channels, ShareLinks.Direct, LandingChannel.Other, LandingChannel.Code, Unknown];

    public static async Task<ReferralFunnel> ReadAsync(DbConnection conn, string shop, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var p = new { shop, from = from.ToUnixTimeMilliseconds(), to = to.ToUnixTimeMilliseconds() };
        Task<IEnumerable<Row>> Q(string sql) => conn.QueryAsync<Row>(new CommandDefinition(sql, p, cancellationToken: ct));
        var views = (await Q(PageViews)).ToDictionary(r => r.Channel, r => r.N);
        var clicks = (await Q(Clicks)).ToDictionary(r => r.Channel, r => r.N);
        var orders = (await Q(ReferredOrders)).ToDictionary(r => r.Channel);
        var channels = clicks.Keys.Union(orders.Keys)
            .OrderBy(c => Array.IndexOf(Order, c) is var i and >= 0 ? i : Order.Length).ThenBy(c => c, StringComparer.Ordinal)
            .Select(c => FunnelChannel.Of(c, clicks.GetValueOrDefault(c), orders.GetValueOrDefault(c)?.N ?? 0, orders.GetValueOrDefault(c)?.Rewarded ?? 0))
            .ToList();
        var bySurface = Storefront.PageViews.Surfaces.ToDictionary(s => s, views.GetValueOrDefault);
        return new ReferralFunnel(bySurface.Values.Sum(), bySurface,
            FunnelChannel.Of("all", clicks.Values.Sum(), orders.Values.Sum(o => o.N), orders.Values.Sum(o => o.Rewarded)), channels);
    }

    // Properties, not positional: SQLite types an empty result's columns as BLOB, which constructors refuse.
    private sealed record Row
    {
        public string Channel { get; init; } = "";
        public long N { get; init; }
        public long Rewarded { get; init; }
    }
}
