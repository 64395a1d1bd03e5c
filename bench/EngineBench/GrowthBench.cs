using Dapper;
using ShopifyReferral.Data;
using ShopifyReferral.Referrals;
using ShopifyReferral.Webhooks;

namespace ShopifyReferral.Bench;

/// <summary>
/// Issue 11's cost-growth figure: the per-order cost of N referred orders when the referrer already has a small
/// and a large history of earlier referrals (10 and 10,000 by default), everything else the same. The history is
/// spread over the three years before the orders, with the statuses a capped program leaves: in the orders' own
/// year at most 40 counted ones, the rest of that year rejected. The program keeps its yearly cap (50), so the
/// velocity and cap rules both run on every order; each order comes from its own IP address.
/// </summary>
internal static class GrowthBench
{
    private const string Shop = "bench-shop.myshopify.com";

    // The orders' created_at (the webhooks/ payload): the velocity window and the cap's year are counted from it.
    private static readonly DateTimeOffset OrdersAt = DateTimeOffset.Parse("2026-11-21T10:03:11-05:00", System.Globalization.CultureInfo.InvariantCulture);

    private static readonly string[] Statuses = ["rewarded", "approved", "rejected", "voided", "rewarded", "review"];

    public static async Task RunAsync(int orders, int small, int large, int workers)
    {
        Console.WriteLine($"growth: {orders} orders/paid deliveries per run, {workers} worker(s), {Environment.ProcessorCount} cores, SQLite, {BenchApp.Describe()}");
        await RunOnceAsync(Math.Min(orders, 200), small, workers, print: false); // warm-up: JIT and the file cache
        // Each size twice, alternating, so neither always runs first; the better of the two, since on a shared
        // machine the slower run says more about the neighbours than about the code.
        double a = double.MaxValue, b = double.MaxValue;
        for (var round = 0; round < 2; round++)
        {
            a = Math.Min(a, await RunOnceAsync(orders, small, workers, print: true));
            b = Math.Min(b, await RunOnceAsync(orders, large, workers, print: true));
        }
        Console.WriteLine($"  per-order cost with {large} earlier referrals / with {small} (best of 2 each): {b / a:0.00} (target <= 1.20)");
    }

    /// <returns>Milliseconds per order.</returns>
    private static async Task<double> RunOnceAsync(int orders, int history, int workers, bool print)
    {
        await using var app = await BenchApp.BuildAsync("growth", []);
        var db = app.Services.GetRequiredService<Db>();
        await app.Services.GetRequiredService<ProgramStore>().SaveAsync(Shop, new ProgramSettings { YearlyCapPerReferrer = 50 });
        var referrer = await app.Services.GetRequiredService<ReferrerService>()
            .EnrolAsync(Shop, 115310627, "jane.doe@example.com", "Jane", "Doe", code: "SAMREF-7Q2K");
        await SeedHistoryAsync(db, referrer, history);
        await Inbox.SeedAsync(db, Shop, orders, ownIps: true);

        var before = Load.Average();
        var elapsed = await Inbox.DrainAsync(app.Services.GetRequiredService<WebhookProcessor>(), workers);
        var perOrder = elapsed.TotalMilliseconds / orders;
        if (!print) return perOrder;
        await using var check = await db.OpenAsync();
        var byStatus = (await check.QueryAsync<(string, long)>(
            "SELECT status, COUNT(*) FROM referrals WHERE order_id >= 7000000000000 GROUP BY status")).ToList();
        Console.WriteLine($"  {history,6} earlier referrals: {perOrder:0.000} ms per order ({orders / elapsed.TotalSeconds:0} orders/s); "
            + $"new referrals {string.Join(", ", byStatus.Select(s => $"{s.Item1} {s.Item2}"))}; {before} at the start, {Load.Average()} at the end");
        return perOrder;
    }

    private static async Task SeedHistoryAsync(Db db, Referrer referrer, int history)
    {
        var yearStart = new DateTimeOffset(OrdersAt.UtcDateTime.Year, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var span = TimeSpan.FromDays(3 * 365);
        var countedThisYear = 0;
        await using var conn = await db.OpenAsync();
        await using var tx = await conn.BeginTransactionAsync();
        for (var i = 0; i < history; i++)
        {
            // Oldest first, the newest two days before the orders, so none falls in their velocity window.
            var at = OrdersAt - TimeSpan.FromDays(2) - span * ((double)(history - 1 - i) / Math.Max(1, history - 1));
            var status = Statuses[i % Statuses.Length];
            if (at >= yearStart && status is "rewarded" or "approved" or "review" && ++countedThisYear > 40) status = "rejected";
            var ms = at.ToUnixTimeMilliseconds();
            var orderId = 6_000_000_000_000 + i;
            await conn.ExecuteAsync("""
                INSERT INTO orders (shop, order_id, name, email, email_key, financial_status, currency, order_updated_at, created_at,
                                    browser_ip, last_topic, recorded_at)
                VALUES (@Shop, @orderId, @name, @email, @email, 'paid', 'USD', @ms, @ms, @ip, 'orders/paid', @ms)
                """, new { Shop, orderId, name = $"#H{i}", email = $"past{i}@example.com", ms, ip = $"172.16.{i >> 8 & 255}.{i & 255}" }, tx);
            await conn.ExecuteAsync("""
                INSERT INTO referrals (shop, order_id, order_name, referrer_id, code, friend_email, program_version, status, currency,
                                       order_subtotal_minor, order_updated_at, paid_at, created_at, updated_at)
                VALUES (@Shop, @orderId, @name, @rid, @Code, @email, 1, @status, 'USD', 9000, @ms, @ms, @ms, @ms)
                """, new { Shop, orderId, name = $"#H{i}", rid = referrer.Id, referrer.Code, email = $"past{i}@example.com", status, ms }, tx);
        }
        await tx.CommitAsync();
    }
}
