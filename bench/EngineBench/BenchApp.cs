using ShopifyReferral.Data;

namespace ShopifyReferral.Bench;

/// <summary>
/// The app's real services over a fresh SQLite file, built but never started: no hosted service runs, so the
/// benchmark alone drives the workers it measures.
/// </summary>
internal static class BenchApp
{
    public static string Synchronous => Environment.GetEnvironmentVariable("BENCH_SYNCHRONOUS") ?? "FULL";

    /// <summary>BENCH_POSTGRES: a PostgreSQL connection string (e.g. from tools/pg-start.sh); each run gets a fresh database on it.</summary>
    public static string? Postgres => Environment.GetEnvironmentVariable("BENCH_POSTGRES");

    public static string Database => Postgres is null ? "SQLite" : "PostgreSQL";

    public static string WorkSynchronous => Environment.GetEnvironmentVariable("BENCH_WORK_SYNCHRONOUS") ?? Synchronous;

    /// <summary>The settings a figure depends on, printed with it.</summary>
    public static string Describe() => Postgres is not null
        ? $"one transaction per batch {Environment.GetEnvironmentVariable("BENCH_ONE_TX") ?? "true"}, claim batch {Environment.GetEnvironmentVariable("BENCH_CLAIM_BATCH") ?? "32"}"
        : $"synchronous {Synchronous}, work synchronous {WorkSynchronous}, one transaction per batch {Environment.GetEnvironmentVariable("BENCH_ONE_TX") ?? "true"}, claim batch {Environment.GetEnvironmentVariable("BENCH_CLAIM_BATCH") ?? "32"}";

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
        if (Postgres is { } server)
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Database:Provider"] = "PostgreSql",
                ["ConnectionStrings:Referral"] = await FreshPostgresAsync(server, name),
            });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddApplicationServices(builder.Configuration);
        var app = builder.Build();
        await app.MigrateDatabaseAsync();
        return app;
    }

    private static async Task<string> FreshPostgresAsync(string server, string name)
    {
        var database = $"bench_{name}_{Guid.NewGuid():N}"[..40];
        await using (var conn = new Npgsql.NpgsqlConnection(server))
        {
            await conn.OpenAsync();
            await using var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE {database}", conn);
            await create.ExecuteNonQueryAsync();
        }
        return new Npgsql.NpgsqlConnectionStringBuilder(server) { Database = database, MaxPoolSize = 50 }.ConnectionString;
    }
}
