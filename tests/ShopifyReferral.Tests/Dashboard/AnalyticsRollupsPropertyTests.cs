using System.Text.Json;
using Dapper;
using FsCheck;
using FsCheck.Fluent;
using ShopifyReferral.Analytics;
using ShopifyReferral.Data;
using ShopifyReferral.Referrals;
using ShopifyReferral.Storefront;
using ShopifyReferral.Tests.Infrastructure;
using Interval = ShopifyReferral.Analytics.Interval;

namespace ShopifyReferral.Tests.Dashboard;

/// <summary>
/// The analytics rollups (migration 0051: order_days, customer_facts) are kept by a difference after each write,
/// the share clicks' day counters (0055: share_click_days) by one more per click. FsCheck generates histories of
/// writes in any order: orders of a few customers (or none) over three weeks, redelivered later with another time,
/// cancelled, as tests, moved to another customer; their referrals created, rejected and un-rejected; share clicks
/// on a few channels, midnights included. After each history the report read from the rollups must equal the report read from
/// the orders themselves, for random whole-day ranges by day and by week, and the full rebuild must leave the
/// rollups as the differences kept them. Runs on SQLite and, in the PG pass, PostgreSQL.
/// </summary>
public class AnalyticsRollupsPropertyTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Statuses = ["pending", "review", "approved", "rejected"];
    private static readonly string[] Channels = ["direct", "instagram", "email", "copy"];

    /// <param name="Kind">0: the order is written, 1: its referral is written or its status changes, 2: a share click.</param>
    /// <param name="Customer">0: no customer; for a click, the channel (<see cref="Channels"/>).</param>
    public sealed record Step(int Order, int Kind, int Customer, int Minute, bool Cancelled, bool Test, long Subtotal, int Status);

    // Minutes over 21 days, bunched so that same-day and next-day orders of one customer are common, and midnights
    // (the first instant of a day: a range's start, or just past its end).
    private static readonly Gen<Step> StepGen =
        from order in Gen.Choose(1, 8)
        from kind in Gen.Frequency((3, Gen.Constant(0)), (1, Gen.Constant(1)), (2, Gen.Constant(2)))
        from customer in Gen.Frequency((1, Gen.Constant(0)), (4, Gen.Choose(1, 3)))
        from minute in Gen.OneOf(Gen.Choose(0, 21 * 1440 - 1), Gen.Choose(0, 12).Select(d => d * 1440 + 600), Gen.Choose(0, 21).Select(d => d * 1440))
        from cancelled in Gen.Frequency((5, Gen.Constant(false)), (1, Gen.Constant(true)))
        from test in Gen.Frequency((8, Gen.Constant(false)), (1, Gen.Constant(true)))
        from subtotal in Gen.Choose(0, 20_000).Select(v => (long)v)
        from status in Gen.Choose(0, Statuses.Length - 1)
        select new Step(order, kind, customer, minute, cancelled, test, subtotal, status);

    private static readonly Gen<(int From, int Days, bool Week)> RangeGen =
        from first in Gen.Choose(0, 18)
        from days in Gen.Choose(1, 22)
        from week in Gen.Elements(false, true)
        select (first, days, week);

    private TestDatabase _database = null!;
    private Db _db = null!;
    private int _shops;

    [OneTimeSetUp]
    public async Task Migrate()
    {
        _database = TestDatabase.Create();
        _db = _database.Db();
        await _database.Migrator().MigrateAsync();
    }

    [OneTimeTearDown]
    public void Drop() => _database.Dispose();

    [Test]
    public void Rollups_AnswerAsTheOrdersDoAfterAnyHistory() =>
        Prop.ForAll(Arb.From(Gen.Choose(0, 30).SelectMany(n => Gen.ArrayOf(StepGen, n))), Arb.From(Gen.ArrayOf(RangeGen, 4)),
                (h, ranges) => Agrees(h, ranges))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(60).WithQuietOnSuccess(true));

    private bool Agrees(Step[] history, (int From, int Days, bool Week)[] ranges)
    {
        var shop = $"rollups{Interlocked.Increment(ref _shops)}.myshopify.com";
        RunAsync(shop, history).GetAwaiter().GetResult();
        var text = "\n  " + string.Join("\n  ", history.Select(s => s.ToString()));
        var store = new AnalyticsStore(_db);
        foreach (var (from, days, week) in ranges.Append((0, 21, true)))
        {
            var (f, t) = (Start.AddDays(from), Start.AddDays(from + days));
            var interval = week ? Interval.Week : Interval.Day;
            var rolled = JsonSerializer.Serialize(store.ReportAsync(shop, f, t, interval, rollups: true).GetAwaiter().GetResult());
            var read = JsonSerializer.Serialize(store.ReportAsync(shop, f, t, interval, rollups: false).GetAwaiter().GetResult());
            Assert.That(rolled, Is.EqualTo(read), $"days {from}+{days} by {interval} after{text}");
        }
        var kept = RollupsAsync(shop).GetAwaiter().GetResult();
        using (var conn = _db.OpenAsync().GetAwaiter().GetResult())
            OrderAnalyticsFacts.RebuildAsync(conn).GetAwaiter().GetResult();
        Assert.That(RollupsAsync(shop).GetAwaiter().GetResult(), Is.EqualTo(kept), "the rebuild changes what the differences kept" + text);
        return true;
    }

    private async Task RunAsync(string shop, Step[] history)
    {
        await using var conn = await _db.OpenAsync();
        var referrer = await conn.ExecuteScalarAsync<long>("""
            INSERT INTO referrers (shop, customer_id, email, code, code_status, program_version, enrolled_at)
            VALUES (@shop, 2, 'r@example.com', 'ROLL-1', 'live', 1, @enrolled) RETURNING id
            """, new { shop, enrolled = Start.AddDays(9).ToUnixTimeMilliseconds() });
        var version = 0L;
        foreach (var s in history)
        {
            version++;
            var order = (long)s.Order;
            if (s.Kind == 2)
            {
                await ShareClicks.RecordAsync(conn, shop, referrer, "ROLL-1", Channels[s.Customer], null, Start.AddMinutes(s.Minute).ToUnixTimeMilliseconds());
                continue;
            }
            if (s.Kind == 0)
            {
                // As the recorder's upsert leaves the row (the latest delivery wins), then its refresh.
                var row = new
                {
                    shop, order, customer = s.Customer == 0 ? (long?)null : s.Customer, s.Cancelled, s.Test, s.Subtotal, version,
                    at = Start.AddMinutes(s.Minute).ToUnixTimeMilliseconds(),
                };
                if (await conn.ExecuteAsync("""
                        UPDATE orders SET customer_id = @customer, cancelled = @Cancelled, test = @Test, subtotal_minor = @Subtotal,
                            order_updated_at = @version, created_at = @at
                        WHERE shop = @shop AND order_id = @order
                        """, row) == 0)
                    await conn.ExecuteAsync("""
                        INSERT INTO orders (shop, order_id, customer_id, cancelled, test, currency, subtotal_minor, order_updated_at, created_at, last_topic, recorded_at)
                        VALUES (@shop, @order, @customer, @Cancelled, @Test, 'USD', @Subtotal, @version, @at, 'orders/updated', @version)
                        """, row);
                await OrderAnalyticsFacts.RefreshOrderAsync(conn, null, shop, order);
                continue;
            }
            var id = await conn.ExecuteScalarAsync<long?>("SELECT id FROM referrals WHERE shop = @shop AND order_id = @order", new { shop, order });
            if (id is null)
            {
                await conn.ExecuteAsync("""
                    INSERT INTO referrals (shop, order_id, referrer_id, code, program_version, status, order_updated_at, created_at, updated_at)
                    VALUES (@shop, @order, @referrer, 'ROLL-1', 1, @status, @version, @version, @version)
                    """, new { shop, order, referrer, status = Statuses[s.Status], version });
                await OrderAnalyticsFacts.RefreshOrderAsync(conn, null, shop, order);
            }
            else
            {
                await conn.ExecuteAsync("UPDATE referrals SET status = @status, updated_at = @version WHERE id = @id", new { id, status = Statuses[s.Status], version });
                await OrderAnalyticsFacts.RefreshReferralAsync(conn, null, id.Value);
            }
        }
    }

    /// <summary>The rollups as one text, the day counters summed over shards (a shard is where, not what).</summary>
    private async Task<string> RollupsAsync(string shop)
    {
        await using var conn = await _db.OpenAsync();
        const string Sums = "SUM(orders), SUM(referred_orders), SUM(revenue_minor), SUM(referred_revenue_minor), SUM(new1), SUM(new2), SUM(new3), SUM(new4), SUM(new5), SUM(new6), SUM(new7)";
        var days = (await conn.QueryAsync($"""
            SELECT day, CAST(grp AS BIGINT) AS grp, {Sums} FROM order_days WHERE shop = @shop GROUP BY day, grp ORDER BY day, grp
            """, new { shop }))
            .Select(r => string.Join(",", ((IDictionary<string, object>)r).Values))
            // A cell the differences brought back to zero stays as a row; the rebuild writes none.
            .Where(r => r.Split(',').Skip(2).Any(v => v != "0"))
            .ToList();
        var facts = await conn.QueryAsync<(long, long, long, long)>(
            "SELECT customer_id, first_at, last_at, CAST(first_referred AS BIGINT) FROM customer_facts WHERE shop = @shop ORDER BY customer_id", new { shop });
        var clicks = await conn.QueryAsync<(long, string, long)>(
            "SELECT day, channel, clicks FROM share_click_days WHERE shop = @shop ORDER BY day, channel", new { shop });
        return string.Join(";", days) + " | " + string.Join(";", facts) + " | " + string.Join(";", clicks);
    }
}
