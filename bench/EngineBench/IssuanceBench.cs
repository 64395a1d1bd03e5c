using System.Diagnostics;
using Dapper;
using ShopifyReferral.Data;
using ShopifyReferral.Referrals;
using ShopifyReferral.Rewards;
using ShopifyReferral.Sandbox;
using ShopifyReferral.Shops;

namespace ShopifyReferral.Bench;

/// <summary>
/// Section 10 (b): reward issuance against the sandbox's standard-plan bucket (2,000 points, 100/s restore),
/// over real HTTP with real time. N approved referrals are owed and issued by I issuers at once; the figure is
/// the points spent as a fraction of what the bucket allowed over the run (its 2,000 plus 100/s), which is
/// rewards/s as a fraction of the most the bucket allows at this cost per reward.
/// </summary>
internal static class IssuanceBench
{
    private const string Shop = "bench-shop.myshopify.com";

    public static async Task RunAsync(int rewards, int issuers)
    {
        await using var store = await SandboxStore.StartAsync(new SandboxOptions());
        await using var app = await BenchApp.BuildAsync("issuance", new()
        {
            ["Shopify:ClientId"] = store.Options.ClientId,
            ["Shopify:ClientSecret"] = store.Options.ClientSecret,
            ["Shopify:AdminBaseUrl"] = store.AdminBaseUrlTemplate,
        });
        var db = app.Services.GetRequiredService<Db>();
        await app.Services.GetRequiredService<ShopInstaller>().InstallAsync(Shop, store.CreateAuthorizationCode(Shop), default);
        var program = (await app.Services.GetRequiredService<ProgramStore>().SaveAsync(Shop, new ProgramSettings())).Saved!;
        var referrer = await app.Services.GetRequiredService<ReferrerService>()
            .EnrolAsync(Shop, 115310627, "jane.doe@example.com", "Jane", "Doe", code: "SAMREF-7Q2K");
        await using (var conn = await db.OpenAsync())
        await using (var tx = await conn.BeginTransactionAsync())
        {
            for (var i = 0; i < rewards; i++)
                await conn.ExecuteAsync("""
                    INSERT INTO referrals (shop, order_id, referrer_id, code, program_version, status, currency, order_updated_at, created_at, updated_at)
                    VALUES (@Shop, @order, @rid, 'SAMREF-7Q2K', @version, 'approved', 'USD', 0, 0, 0)
                    """, new { Shop, order = 8_000_000_000_000 + i, rid = referrer.Id, version = program.Version }, tx);
            await tx.CommitAsync();
        }

        var issuer = app.Services.GetRequiredService<RewardIssuer>();
        var bucket = store.Throttle(Shop);
        var before = bucket.Status().CurrentlyAvailable;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, issuers).Select(_ => Task.Run(async () =>
        {
            while (await OwedAsync(db) > 0)
                if (await issuer.RunOnceAsync(default) == 0) await Task.Delay(50);
        })));
        clock.Stop();
        var after = bucket.Status().CurrentlyAvailable;

        var seconds = clock.Elapsed.TotalSeconds;
        var allowed = before + bucket.RestoreRate * seconds;
        var spent = allowed - after; // exact while the bucket never refilled to its cap, which a busy run never does
        var perReward = spent / rewards;
        var requests = store.Shop(Shop).Requests;
        var codes = store.Discounts(Shop).SelectMany(d => d.Codes).Where(c => c.StartsWith("THANKS-", StringComparison.Ordinal)).ToList();
        await using var check = await db.OpenAsync();
        var byStatus = (await check.QueryAsync<(string, long)>("SELECT status, COUNT(*) FROM rewards GROUP BY status")).ToList();

        Console.WriteLine($"issuance: {rewards} rewards, {issuers} issuers, standard bucket {bucket.MaximumAvailable:0} points + {bucket.RestoreRate:0}/s");
        Console.WriteLine($"  issued in {seconds:0.0} s = {rewards / seconds:0.00} rewards/s at {perReward:0.0} points per reward (lookup + create); {Load.Average()}");
        Console.WriteLine($"  bucket allowed {allowed:0} points over the run, spent {spent:0}: {spent / allowed:P1} of what it allows (target >= 90%)");
        Console.WriteLine($"  most the bucket allows at this cost: {allowed / perReward / seconds:0.00} rewards/s");
        Console.WriteLine($"  requests {requests.Count}, THROTTLED answers {requests.Count(r => r.ErrorCode == "THROTTLED")}, HTTP errors {requests.Count(r => r.Status != 200)}");
        Console.WriteLine($"  rewards by status: {string.Join(", ", byStatus.Select(s => $"{s.Item1} {s.Item2}"))}");
        Console.WriteLine($"  codes in the sandbox {codes.Count}, distinct {codes.Distinct().Count()}, duplicates {codes.Count - codes.Distinct().Count()}");
    }

    private static async Task<long> OwedAsync(Db db)
    {
        await using var conn = await db.OpenAsync();
        return await conn.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM referrals WHERE status = 'approved'");
    }
}
