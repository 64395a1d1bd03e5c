using ShopifyReferral.Referrals;
using Dapper;
using FsCheck;
using FsCheck.Fluent;
using ShopifyReferral.Analytics;
using ShopifyReferral.Data;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.Dashboard;

/// <summary>
/// The analytics facts on the order row (counted, referred, revenue_minor: migration 0050) are kept by a refresh after
/// each write. FsCheck generates histories of writes in any order (an order delivered, redelivered cancelled or
/// refunded, as a test order, without a time; its referral created before or after the order row arrives, then
/// rejected, approved or un-rejected), each followed by the refresh the app runs after that kind of write. At the end
/// every order's facts must equal a plain recomputation from the history's final state, and the full rebuild must
/// change nothing. Runs on SQLite and, in the PG pass, PostgreSQL.
/// </summary>
public class AnalyticsFactsPropertyTests
{
    private static readonly string[] Statuses = ["pending", "review", "approved", "rewarded", "rejected", "voided"];

    /// <param name="Kind">0: the order is written (upsert), 1: its referral is written or its status changes.</param>
    public sealed record Step(int Order, int Kind, bool Cancelled, bool Test, bool HasTime, long Subtotal, long? Discounted, int Status);

    private static readonly Gen<Step> StepGen =
        from order in Gen.Choose(1, 4)
        from kind in Gen.Choose(0, 1)
        from cancelled in Gen.Frequency((4, Gen.Constant(false)), (1, Gen.Constant(true)))
        from test in Gen.Frequency((6, Gen.Constant(false)), (1, Gen.Constant(true)))
        from hasTime in Gen.Frequency((8, Gen.Constant(true)), (1, Gen.Constant(false)))
        from subtotal in Gen.Choose(0, 50_000).Select(v => (long)v)
        from discounted in Gen.Frequency((1, Gen.Constant<long?>(null)), (3, Gen.Choose(0, 50_000).Select(v => (long?)v)))
        from status in Gen.Choose(0, Statuses.Length - 1)
        select new Step(order, kind, cancelled, test, hasTime, subtotal, discounted, status);

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
    public void Facts_EqualARecomputationAfterAnyHistory() =>
        Prop.ForAll(Arb.From(Gen.Choose(0, 16).SelectMany(n => Gen.ArrayOf(StepGen, n))), h => Agrees(h))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(100).WithQuietOnSuccess(true));

    private bool Agrees(Step[] history)
    {
        var shop = $"facts{Interlocked.Increment(ref _shops)}.myshopify.com";
        var stored = RunAsync(shop, history).GetAwaiter().GetResult();
        var expected = Model(history);
        var text = string.Join("\n  ", history.Select(s => s.ToString()));
        Assert.That(stored, Is.EquivalentTo(expected), "facts after the history\n  " + text);
        return true;
    }

    /// <summary>The facts as written down, from the last write of each row: nothing incremental.</summary>
    private static List<(long Order, long Counted, long Referred, long Revenue)> Model(Step[] history)
    {
        var orders = new Dictionary<int, Step>();
        var referrals = new Dictionary<int, string>();
        foreach (var s in history)
            if (s.Kind == 0) orders[s.Order] = s;
            else referrals[s.Order] = Statuses[s.Status];
        return orders.Values.Select(o => ((long)o.Order,
                !o.Test && !o.Cancelled && o.HasTime ? 1L : 0L,
                referrals.TryGetValue(o.Order, out var st) && st != "rejected" ? 1L : 0L,
                o.Discounted ?? o.Subtotal))
            .OrderBy(f => f.Item1).ToList();
    }

    private async Task<List<(long Order, long Counted, long Referred, long Revenue)>> RunAsync(string shop, Step[] history)
    {
        await using var conn = await _db.OpenAsync();
        var referrer = await conn.ExecuteScalarAsync<long>("""
            INSERT INTO referrers (shop, customer_id, email, code, code_status, program_version, enrolled_at)
            VALUES (@shop, 1, 'r@example.com', 'FACTS-1', 'live', 1, 0) RETURNING id
            """, new { shop });
        var version = 0L;
        foreach (var s in history)
        {
            version++;
            if (s.Kind == 0)
            {
                // As the recorder's upsert leaves the row (the latest delivery wins), then its refresh.
                await conn.ExecuteAsync("DELETE FROM orders WHERE shop = @shop AND order_id = @order", new { shop, order = (long)s.Order });
                await conn.ExecuteAsync("""
                    INSERT INTO orders (shop, order_id, customer_id, cancelled, test, currency, subtotal_minor, discounted_subtotal_minor,
                                        order_updated_at, created_at, last_topic, recorded_at)
                    VALUES (@shop, @order, 7, @Cancelled, @Test, 'USD', @Subtotal, @Discounted, @version, @at, 'orders/updated', @version)
                    """, new { shop, order = (long)s.Order, s.Cancelled, s.Test, s.Subtotal, s.Discounted, version, at = s.HasTime ? 1_000 + version : (long?)null });
                await OrderAnalyticsFacts.RefreshOrderAsync(conn, null, shop, s.Order);
                continue;
            }
            var id = await conn.ExecuteScalarAsync<long?>("SELECT id FROM referrals WHERE shop = @shop AND order_id = @order", new { shop, order = (long)s.Order });
            if (id is null)
            {
                // The engine creates it, then the recorder refreshes the order (whether or not its row is there yet).
                await conn.ExecuteAsync("""
                    INSERT INTO referrals (shop, order_id, referrer_id, code, program_version, status, order_updated_at, created_at, updated_at)
                    VALUES (@shop, @order, @referrer, 'FACTS-1', 1, @status, @version, @version, @version)
                    """, new { shop, order = (long)s.Order, referrer, status = Statuses[s.Status], version });
                await OrderAnalyticsFacts.RefreshOrderAsync(conn, null, shop, s.Order);
            }
            else
            {
                // A review or sweep decision: refreshed by referral id.
                await conn.ExecuteAsync("UPDATE referrals SET status = @status, updated_at = @version WHERE id = @id", new { id, status = Statuses[s.Status], version });
                await OrderAnalyticsFacts.RefreshReferralAsync(conn, null, id.Value);
            }
        }
        var kept = await ReadAsync(conn, shop);
        await OrderAnalyticsFacts.RebuildAsync(conn);
        Assert.That(await ReadAsync(conn, shop), Is.EqualTo(kept), "the full rebuild changes nothing the refreshes kept");
        return kept;
    }

    private static async Task<List<(long Order, long Counted, long Referred, long Revenue)>> ReadAsync(System.Data.Common.DbConnection conn, string shop) =>
        (await conn.QueryAsync<(long, long, long, long)>(
            "SELECT order_id, CAST(counted AS BIGINT), CAST(referred AS BIGINT), revenue_minor FROM orders WHERE shop = @shop ORDER BY order_id", new { shop })).ToList();
}
