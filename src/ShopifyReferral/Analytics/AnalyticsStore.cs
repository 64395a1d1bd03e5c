using Dapper;
using ShopifyReferral.Data;

namespace ShopifyReferral.Analytics;

/// <summary>
/// Runs the KPI queries (all sums and counts happen in SQL) and divides the results. The per-bucket queries run
/// twice: once with the chosen interval, once with the whole range as one bucket, because distinct counts don't add up.
/// A range of whole UTC days (every range the API takes) reads the rollups, the clicks' day counters included
/// (<see cref="RollupQueries"/>); any other reads the orders and clicks themselves (<see cref="AnalyticsQueries"/>),
/// which is also what the rollups are tested against.
/// </summary>
public sealed class AnalyticsStore(Db db)
{
    public Task<AnalyticsReport> ReportAsync(string shop, DateTimeOffset from, DateTimeOffset to, Interval interval, CancellationToken ct = default) =>
        ReportAsync(shop, from, to, interval, rollups: true, ct);

    internal async Task<AnalyticsReport> ReportAsync(string shop, DateTimeOffset from, DateTimeOffset to, Interval interval, bool rollups, CancellationToken ct = default)
    {
        var step = interval == Interval.Week ? TimeSpan.FromDays(7) : TimeSpan.FromDays(1);
        const long day = Referrals.AnalyticsRollups.DayMs;
        rollups &= from.ToUnixTimeMilliseconds() % day == 0 && to.ToUnixTimeMilliseconds() % day == 0 && from.ToUnixTimeMilliseconds() >= 0;
        await using var conn = await db.OpenAsync(ct);
        // Sums come back in minor units of the shop's currency, which decides how many decimals a unit is.
        var currency = await conn.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT MAX(currency) FROM orders WHERE shop = @shop", new { shop }, cancellationToken: ct));
        var m = new Amounts(currency);
        var p = Parameters(shop, from, to, TimeSpan.FromMilliseconds(1));
        var groups = rollups ? await RolledGroupsAsync(conn, p, ct)
            : (await conn.QueryAsync<CustomerRow>(new CommandDefinition(AnalyticsQueries.Customers, p, cancellationToken: ct))).ToList();
        var ordersSql = rollups ? RollupQueries.Orders : AnalyticsQueries.Orders;
        var clicksSql = rollups ? RollupQueries.Clicks : AnalyticsQueries.Clicks;
        var series = await PeriodsAsync(conn, shop, from, to, step, m, ordersSql, clicksSql, null, ct);
        // A rollup bucket longer than a week can't count distinct customers; the customer figures can.
        var totals = (await PeriodsAsync(conn, shop, from, to, to - from, m, ordersSql, clicksSql, rollups ? groups.Sum(g => g.Ordered) : null, ct)).Single();
        var top = (await conn.QueryAsync<TopRow>(new CommandDefinition(AnalyticsQueries.TopReferrers, p, cancellationToken: ct)))
            .OrderByDescending(t => t.Revenue).ThenByDescending(t => t.Orders).ThenBy(t => t.ReferrerId).Take(10)
            .Select(t => new TopReferrer(t.ReferrerId, t.Code, $"{t.FirstName} {t.LastName}".Trim() is { Length: > 0 } n ? n : null, t.Email, t.Orders, m.Of(t.Revenue)))
            .ToList();
        var (referred, notReferred) = (groups.SingleOrDefault(g => g.Referred == 1) ?? new(), groups.SingleOrDefault(g => g.Referred == 0) ?? new());
        return new AnalyticsReport(from, to, interval.ToString().ToLowerInvariant(), currency, totals, series,
            Group(referred, m), Group(notReferred, m), top,
            AnalyticsKpis.Of(totals, referred.NewCustomers, notReferred.NewCustomers, referred.NewReferrers),
            await FunnelQueries.ReadAsync(conn, shop, from, to, rollups, ct));
    }

    /// <summary>Turns summed minor units into amounts of the shop's currency.</summary>
    private sealed record Amounts(string? Currency)
    {
        public decimal Of(long minor) => Money.FromMinor(minor, Currency);
    }

    private static object Parameters(string shop, DateTimeOffset from, DateTimeOffset to, TimeSpan step)
    {
        const long day = Referrals.AnalyticsRollups.DayMs;
        var (f, t, b) = (from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds(), (long)step.TotalMilliseconds);
        return new { shop, from = f, to = t, bucket = b, from_day = f / day, to_day = t / day, bucket_days = Math.Max(1, b / day) };
    }

    private static async Task<List<CustomerRow>> RolledGroupsAsync(System.Data.Common.DbConnection conn, object p, CancellationToken ct)
    {
        var groups = (await conn.QueryAsync<CustomerRow>(new CommandDefinition(RollupQueries.Customers, p, cancellationToken: ct))).ToList();
        var orders = (await conn.QueryAsync<CustomerRow>(new CommandDefinition(RollupQueries.GroupOrders, p, cancellationToken: ct))).ToDictionary(g => g.Referred);
        var referrers = (await conn.QueryAsync<CustomerRow>(new CommandDefinition(RollupQueries.NewReferrers, p, cancellationToken: ct))).ToDictionary(g => g.Referred);
        return groups.Select(g => (orders.TryGetValue(g.Referred, out var o) ? g with { Orders = o.Orders, Revenue = o.Revenue } : g)
            with
        { NewReferrers = referrers.GetValueOrDefault(g.Referred)?.NewReferrers ?? 0 }).ToList();
    }

    private static async Task<List<PeriodFigures>> PeriodsAsync(System.Data.Common.DbConnection conn, string shop, DateTimeOffset from,
        DateTimeOffset to, TimeSpan step, Amounts m, string ordersSql, string clicksSql, long? customers, CancellationToken ct)
    {
        var p = Parameters(shop, from, to, step);
        Task<IEnumerable<T>> Q<T>(string sql) => conn.QueryAsync<T>(new CommandDefinition(sql, p, cancellationToken: ct));
        var orders = (await Q<OrderRow>(ordersSql)).ToDictionary(r => r.Bucket);
        if (customers is { } c) orders = orders.ToDictionary(kv => kv.Key, kv => kv.Value with { Customers = c });
        var enrolled = (await Q<CountRow>(AnalyticsQueries.ReferrersEnrolled)).ToDictionary(r => r.Bucket, r => r.N);
        var clicks = (await Q<ClickRow>(clicksSql)).ToLookup(r => r.Bucket);
        var rewards = (await Q<RewardRow>(AnalyticsQueries.RewardCost)).ToDictionary(r => r.Bucket);
        var referrers = await conn.ExecuteScalarAsync<long>(new CommandDefinition(AnalyticsQueries.ReferrersBefore, p, cancellationToken: ct));
        var channels = clicks.SelectMany(g => g.Select(c => c.Channel)).Distinct().Order().ToList();

        var result = new List<PeriodFigures>();
        for (var (i, start) = (0L, from); start < to; i++, start += step)
        {
            var end = start + step < to ? start + step : to;
            var o = orders.GetValueOrDefault(i) ?? new OrderRow();
            var w = rewards.GetValueOrDefault(i) ?? new RewardRow();
            var newReferrers = enrolled.GetValueOrDefault(i);
            referrers += newReferrers;
            var byChannel = channels.ToDictionary(c => c, c => clicks[i].Where(r => r.Channel == c).Sum(r => r.N));
            var clickCount = byChannel.Values.Sum();
            var notReferredOrders = o.Orders - o.ReferredOrders;
            var (revenue, referredRevenue, cost) = (m.Of(o.Revenue), m.Of(o.ReferredRevenue), m.Of(w.Cost));
            result.Add(new PeriodFigures(start, end, o.Orders, o.ReferredOrders, o.Customers, newReferrers, referrers,
                clickCount, byChannel, revenue, referredRevenue, cost, w.N,
                Percent(newReferrers, o.Customers),
                byChannel.ToDictionary(kv => kv.Key, kv => Percent(kv.Value, referrers)),
                Percent(o.ReferredOrders, clickCount),
                Ratio(referredRevenue, o.ReferredOrders), Ratio(revenue - referredRevenue, notReferredOrders),
                Ratio(referredRevenue, cost)));
        }
        return result;
    }

    private static CustomerFigures Group(CustomerRow? g, Amounts m)
    {
        g ??= new CustomerRow();
        var revenue = m.Of(g.Revenue);
        // Retention: (customers at period end - new customers) / customers at start, where "customers at period end"
        // are those who ordered in the period (README, KPIs).
        var retention = Percent(g.Ordered - g.NewCustomers, g.AtStart);
        // Rounded for display only; CLV multiplies the exact factors.
        decimal? aov = g.Orders == 0 ? null : revenue / g.Orders;
        decimal? frequency = g.Ordered == 0 ? null : (decimal)g.Orders / g.Ordered;
        decimal? lifespan = g.Customers == 0 ? null : (decimal)g.LifespanSum / g.Customers;
        decimal? clv = aov * frequency * lifespan is { } v ? Math.Round(v, 2) : null;
        return new CustomerFigures(g.AtStart, g.NewCustomers, g.Ordered, retention, g.Orders, revenue,
            Round(aov), Round(frequency), Round(lifespan), clv);
    }

    private static decimal? Round(decimal? d) => d is { } v ? Math.Round(v, 2) : null;
    private static decimal? Percent(decimal n, decimal d) => d == 0 ? null : Math.Round(n * 100m / d, 2);
    private static decimal? Ratio(decimal n, decimal d) => d == 0 ? null : Math.Round(n / d, 2);

    private sealed record OrderRow
    {
        public long Bucket { get; init; }
        public long Orders { get; init; }
        public long ReferredOrders { get; init; }
        public long Customers { get; init; }
        public long Revenue { get; init; }
        public long ReferredRevenue { get; init; }
    }

    // Properties, not positional records: SQLite types an empty result's columns as BLOB, which constructors refuse.
    private sealed record CountRow
    {
        public long Bucket { get; init; }
        public long N { get; init; }
    }

    private sealed record ClickRow
    {
        public long Bucket { get; init; }
        public string Channel { get; init; } = "";
        public long N { get; init; }
    }

    private sealed record RewardRow
    {
        public long Bucket { get; init; }
        public long N { get; init; }
        public long Cost { get; init; }
    }

    private sealed record CustomerRow
    {
        public long Referred { get; init; }
        public long AtStart { get; init; }
        public long NewCustomers { get; init; }
        public long Ordered { get; init; }
        public long Orders { get; init; }
        public long Revenue { get; init; }
        public long Customers { get; init; }
        public double LifespanSum { get; init; }
        public long NewReferrers { get; init; }
    }

    private sealed record TopRow
    {
        public long ReferrerId { get; init; }
        public string Code { get; init; } = "";
        public string? FirstName { get; init; }
        public string? LastName { get; init; }
        public string? Email { get; init; }
        public long Orders { get; init; }
        public long Revenue { get; init; }
    }
}
