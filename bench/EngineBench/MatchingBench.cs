using Dapper;
using ShopifyReferral.Data;
using ShopifyReferral.Referrals;
using ShopifyReferral.Webhooks;

namespace ShopifyReferral.Bench;

/// <summary>
/// Section 10 (a): inbox -> referral throughput with the Admin API out of the path. N orders/paid deliveries
/// (the webhooks/ payload with a referrer's code, guest checkouts so "friend not new" is answered from the
/// database) are put in the inbox, then W workers drain it through the real WebhookProcessor: OrderRecorder,
/// the engine's matching and every fraud rule, one referral per order.
/// </summary>
internal static class MatchingBench
{
    private const string Shop = "bench-shop.myshopify.com";

    public static async Task RunAsync(int orders, int workers)
    {
        await using var app = await BenchApp.BuildAsync("matching", []);
        var db = app.Services.GetRequiredService<Db>();
        await app.Services.GetRequiredService<ProgramStore>().SaveAsync(Shop, new ProgramSettings { YearlyCapPerReferrer = null });
        var referrer = await app.Services.GetRequiredService<ReferrerService>()
            .EnrolAsync(Shop, 115310627, "jane.doe@example.com", "Jane", "Doe", code: "SAMREF-7Q2K");
        await Inbox.SeedAsync(db, Shop, orders);

        var before = Load.Average();
        var elapsed = await Inbox.DrainAsync(app.Services.GetRequiredService<WebhookProcessor>(), workers);

        await using var check = await db.OpenAsync();
        var referrals = await check.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM referrals WHERE referrer_id = @Id", new { referrer.Id });
        var byStatus = (await check.QueryAsync<(string, long)>("SELECT status, COUNT(*) FROM referrals GROUP BY status")).ToList();
        var notDone = await check.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM webhook_inbox WHERE status <> 'done'");
        Console.WriteLine($"matching: {orders} orders/paid deliveries, {workers} workers, {Environment.ProcessorCount} cores, {BenchApp.Database}, {BenchApp.Describe()}");
        Console.WriteLine($"  drained in {elapsed.TotalSeconds:0.00} s = {orders / elapsed.TotalSeconds:0} orders/s (target >= {(BenchApp.Postgres is null ? "5000" : "2000, and 1.6x one worker")}); {before} at the start, {Load.Average()} at the end");
        Console.WriteLine($"  referrals: {referrals} ({string.Join(", ", byStatus.Select(s => $"{s.Item1} {s.Item2}"))}); inbox rows not done: {notDone}");
    }
}
