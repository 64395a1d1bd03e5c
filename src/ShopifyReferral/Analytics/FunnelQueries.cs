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

    // The referred orders of the range as every KPI counts them (the order row's facts), with their referral's channel
    // and whether it has been rewarded as the order row keeps them (migration 0054): one range of the referred orders' index.
    public const string ReferredOrders = """
        SELECT COALESCE(referral_channel, 'unknown') AS channel, COUNT(*) AS n, SUM(referral_rewarded) AS rewarded
        FROM orders
        WHERE shop = @shop AND counted = 1 AND referred = 1 AND created_at >= @from AND created_at < @to
        GROUP BY COALESCE(referral_channel, 'unknown')
        """;

    /// <summary>Channels in the order the dashboard lists them: the share buttons, then links without a channel, typed codes, unknown.</summary>
    private static readonly string[] Order = [.. ShareLinks.Channels, ShareLinks.Direct, LandingChannel.Other, LandingChannel.Code, Unknown];

    /// <param name="rollups">The range is of whole UTC days: the clicks are read from their day counters (<see cref="RollupQueries.FunnelClicks"/>).</param>
    public static async Task<ReferralFunnel> ReadAsync(DbConnection conn, string shop, DateTimeOffset from, DateTimeOffset to, bool rollups, CancellationToken ct)
    {
        var (f, t) = (from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds());
        var p = new { shop, from = f, to = t, from_day = f / AnalyticsRollups.DayMs, to_day = t / AnalyticsRollups.DayMs };
        Task<IEnumerable<Row>> Q(string sql) => conn.QueryAsync<Row>(new CommandDefinition(sql, p, cancellationToken: ct));
        var views = (await Q(PageViews)).ToDictionary(r => r.Channel, r => r.N);
        var clicks = (await Q(rollups ? RollupQueries.FunnelClicks : Clicks)).ToDictionary(r => r.Channel, r => r.N);
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
