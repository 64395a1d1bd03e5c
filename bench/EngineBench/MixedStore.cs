using System.Runtime.InteropServices;
using Dapper;
using ShopifyReferral.Data;
using ShopifyReferral.Jobs;
using ShopifyReferral.Referrals;
using ShopifyReferral.Sandbox;
using ShopifyReferral.Shops;

namespace ShopifyReferral.Bench;

/// <summary>
/// The Shopify side of bench/mixed.sh, in one process that lives for the whole run: a sandbox store on 127.0.0.1
/// that answers the app's Admin API calls (the "friend is new" rule asks Shopify for the order count of every order
/// with a customer), and, before the app starts, the app's database file seeded through the app's own services:
/// the shop installed by OAuth against this store (so the stored offline token is one the app decrypts, with the
/// key ring beside the file, and the store accepts), a program, and K referrers whose codes are made live in the
/// store. Prints "ready" once the codes file is written, then serves until SIGTERM and prints what it was asked.
/// </summary>
internal static class MixedStore
{
    public const string Shop = "bench-shop.myshopify.com";

    public static async Task RunAsync(string dbFile, int referrers, string codesFile, int port, string appUrl)
    {
        // The bucket: generous by default, so the figure is the app's and not Shopify's plan (a real Plus shop
        // restores 1000 points/s; BENCH_STORE_RESTORE=1000 measures that instead).
        var restore = double.Parse(Environment.GetEnvironmentVariable("BENCH_STORE_RESTORE") ?? "20000", System.Globalization.CultureInfo.InvariantCulture);
        await using var store = await SandboxStore.StartAsync(new SandboxOptions
        {
            ClientId = "bench",
            ClientSecret = "bench-secret", // bench/lib.sh's CLIENT_SECRET: the app's secret
            Url = $"http://127.0.0.1:{port}",
            ThrottleMaximumAvailable = restore * 2,
            ThrottleRestoreRate = restore,
            AccessTokenLifetime = TimeSpan.FromDays(1), // no token refresh in the middle of a run
        });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using (var app = await BenchApp.BuildAsync("mixed", new()
        {
            ["ConnectionStrings:Referral"] = $"Data Source={Path.GetFullPath(dbFile)}",
            ["Shopify:ClientId"] = "bench",
            ["Shopify:ClientSecret"] = "bench-secret",
            ["Shopify:AdminBaseUrl"] = store.AdminBaseUrlTemplate,
            ["Shopify:AppUrl"] = appUrl,
        }))
        {
            await SeedAsync(app, store, referrers, codesFile);
        }
        Console.WriteLine($"seeded {referrers} referrers in {clock.Elapsed.TotalSeconds:0.0} s; store at {store.AdminBaseUrlTemplate}, bucket restore {restore}/s");
        Console.WriteLine("ready");

        var stop = new TaskCompletionSource();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => { ctx.Cancel = true; stop.TrySetResult(); });
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, ctx => { ctx.Cancel = true; stop.TrySetResult(); });
        await stop.Task;

        var requests = store.Shop(Shop).Requests.ToList();
        Console.WriteLine($"store requests: {requests.Count}; by operation: "
            + string.Join(", ", requests.GroupBy(r => r.Operation ?? "-").OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}")));
        Console.WriteLine($"store answers not 200: {requests.Count(r => r.Status != 200)}, THROTTLED: {requests.Count(r => r.ErrorCode == "THROTTLED")}");
    }

    private static async Task SeedAsync(WebApplication app, SandboxStore store, int referrers, string codesFile)
    {
        await app.Services.GetRequiredService<ShopInstaller>().InstallAsync(Shop, store.CreateAuthorizationCode(Shop), default);
        // The defaults (new customers only, 14-day hold, 50 a year, 2 friends per IP a day) plus Koodo's $300 value cap,
        // so the value-cap rule runs on every order too.
        await app.Services.GetRequiredService<ProgramStore>().SaveAsync(Shop, new ProgramSettings { YearlyValueCapPerReferrer = 300m });
        var service = app.Services.GetRequiredService<ReferrerService>();
        var codes = new List<string>(referrers);
        for (var i = 0; i < referrers; i++)
            codes.Add((await service.EnrolAsync(Shop, 9_100_000_000_000 + i, $"referrer{i}@example.net", "Ref", $"Errer{i}", code: $"MIXREF-{i:D5}")).Code);

        // Each code made live in the store now, as the app's code.sync jobs would do after an enrolment, so the
        // app's queue starts with none of them and the run measures orders only.
        var runner = app.Services.GetRequiredService<JobRunner>();
        while (await runner.RunDueAsync(ReferrerCodeSync.JobKind, default) > 0) { }
        await using (var conn = await app.Services.GetRequiredService<Db>().OpenAsync())
        {
            var live = await conn.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM referrers WHERE code_status = 'live'");
            if (live != referrers) throw new InvalidOperationException($"only {live} of {referrers} referrer codes are live in the store");
        }
        await File.WriteAllLinesAsync(codesFile, codes);
    }
}
