using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
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

        var template = JsonNode.Parse(File.ReadAllText(Path.Combine(Repo.Root, "webhooks/orders/paid/with-code.json")))!.AsObject();
        await using (var conn = await db.OpenAsync())
        await using (var tx = await conn.BeginTransactionAsync())
        {
            for (var i = 0; i < orders; i++)
            {
                var o = template.DeepClone().AsObject();
                o["id"] = 7_000_000_000_000 + i;
                o["name"] = $"#B{i}";
                o["email"] = $"friend{i}@example.com";
                o["contact_email"] = $"friend{i}@example.com";
                o["customer"] = null; // guest: no Admin API call for numberOfOrders
                o["browser_ip"] = $"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}";
                await conn.ExecuteAsync("""
                    INSERT INTO webhook_inbox (shop, topic, webhook_id, body, received_at, status, due_at)
                    VALUES (@Shop, 'orders/paid', @id, @body, 0, 'pending', 0)
                    """, new { Shop, id = $"bench-{i}", body = Encoding.UTF8.GetBytes(o.ToJsonString()) }, tx);
            }
            await tx.CommitAsync();
        }

        var processor = app.Services.GetRequiredService<WebhookProcessor>();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            while (await processor.RunOnceAsync(default) > 0) { }
        })));
        clock.Stop();

        await using var check = await db.OpenAsync();
        var referrals = await check.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM referrals WHERE referrer_id = @Id", new { referrer.Id });
        var byStatus = (await check.QueryAsync<(string, long)>("SELECT status, COUNT(*) FROM referrals GROUP BY status")).ToList();
        var notDone = await check.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM webhook_inbox WHERE status <> 'done'");
        Console.WriteLine($"matching: {orders} orders/paid deliveries, {workers} workers, {Environment.ProcessorCount} cores, SQLite");
        Console.WriteLine($"  drained in {clock.Elapsed.TotalSeconds:0.00} s = {orders / clock.Elapsed.TotalSeconds:0} orders/s (target >= 5000)");
        Console.WriteLine($"  referrals: {referrals} ({string.Join(", ", byStatus.Select(s => $"{s.Item1} {s.Item2}"))}); inbox rows not done: {notDone}");
    }
}
