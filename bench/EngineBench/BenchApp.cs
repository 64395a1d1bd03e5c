using ShopifyReferral.Data;

namespace ShopifyReferral.Bench;

/// <summary>
/// The app's real services over a fresh SQLite file, built but never started: no hosted service runs, so the
/// benchmark alone drives the workers it measures.
/// </summary>
internal static class BenchApp
{
    public static string Synchronous => Environment.GetEnvironmentVariable("BENCH_SYNCHRONOUS") ?? "FULL";

    public static string WorkSynchronous => Environment.GetEnvironmentVariable("BENCH_WORK_SYNCHRONOUS") ?? Synchronous;

    /// <summary>The settings a figure depends on, printed with it.</summary>
    public static string Describe() =>
        $"synchronous {Synchronous}, work synchronous {WorkSynchronous}, one transaction per batch {Environment.GetEnvironmentVariable("BENCH_ONE_TX") ?? "true"}, claim batch {Environment.GetEnvironmentVariable("BENCH_CLAIM_BATCH") ?? "32"}";

    public static async Task<WebApplication> BuildAsync(string name, Dictionary<string, string?> settings)
    {
        var folder = Path.Combine(Path.GetTempPath(), "shopifyreferral-bench", $"{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Bench" });
        builder.Logging.SetMinimumLevel(LogLevel.Error);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Referral"] = $"Data Source={Path.Combine(folder, "referral.db")}",
            ["Shopify:ClientId"] = "bench-client-id",
            ["Shopify:ClientSecret"] = "bench-secret",
            ["Shopify:AppUrl"] = "http://127.0.0.1:5999",
            ["Referrals:Background"] = "false",
            ["Webhooks:Workers"] = "0",
            ["Sandbox:Demo"] = "false",
            ["Logging:LogLevel:Default"] = "Error",
            ["Database:Synchronous"] = Synchronous,
            // The workers' commits too (the app's default for them is NORMAL): the target is for FULL throughout.
            ["Database:WorkSynchronous"] = WorkSynchronous,
            // BENCH_ONE_TX=0: one row at a time, each handler committing its own writes (the path before batching).
            ["Webhooks:OneTransactionPerBatch"] = Environment.GetEnvironmentVariable("BENCH_ONE_TX") ?? "true",
            ["Webhooks:ClaimBatchSize"] = Environment.GetEnvironmentVariable("BENCH_CLAIM_BATCH") ?? "32",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddApplicationServices(builder.Configuration);
        var app = builder.Build();
        await app.MigrateDatabaseAsync();
        return app;
    }
}
