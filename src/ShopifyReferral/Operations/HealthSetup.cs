using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ShopifyReferral.Data;
using ShopifyReferral.Webhooks;

namespace ShopifyReferral.Operations;

/// <summary>
/// What a load balancer or an orchestrator asks. <c>/health/live</c>: the process answers (restart it if not).
/// <c>/health/ready</c>: it can do its job (database reachable, every migration applied, the inbox moving); take it
/// out of rotation while not. <c>/health</c> stays as it was: the database only, a problem document when down.
/// </summary>
public static class HealthSetup
{
    private const string Ready = "ready";

    public static IServiceCollection AddHealth(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<HealthOptions>().Bind(config.GetSection(HealthOptions.Section))
            .Validate(o => o.InboxStuckAfter > TimeSpan.Zero, "Health:InboxStuckAfter must be a positive time span, e.g. 00:10:00.")
            .ValidateOnStart();
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [Ready])
            .AddCheck<MigrationsHealthCheck>("migrations", tags: [Ready])
            .AddCheck<InboxHealthCheck>("inbox", tags: [Ready]);
        return services;
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/health", async Task<IResult> (Db db, CancellationToken ct) =>
            await db.CanConnectAsync(ct)
                ? TypedResults.Ok(new { status = "ok" })
                : TypedResults.Problem("The database cannot be reached.", statusCode: 503,
                    type: "https://shopifyreferral.dev/problems/database-unavailable"))
            .WithTags("Health");
        // Liveness runs no check: a slow database must not get a healthy process restarted.
        routes.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync }).WithTags("Health");
        routes.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready), ResponseWriter = WriteAsync })
            .WithTags("Health");
        return routes;
    }

    /// <summary>{"status": "Healthy", "checks": {"database": {"status", "description"}, …}}; 503 when Unhealthy.</summary>
    private static Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json; charset=utf-8";
        http.Response.Headers.CacheControl = "no-store";
        return JsonSerializer.SerializeAsync(http.Response.Body, new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        }, cancellationToken: http.RequestAborted);
    }
}

/// <summary>Settings bound from the <c>Health</c> section.</summary>
public sealed class HealthOptions
{
    public const string Section = "Health";

    /// <summary>An inbox row due this long ago and still not taken means no worker is processing: not ready.</summary>
    public TimeSpan InboxStuckAfter { get; set; } = TimeSpan.FromMinutes(10);
}

internal sealed class DatabaseHealthCheck(Db db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        await db.CanConnectAsync(ct) ? HealthCheckResult.Healthy("The database answers.") : HealthCheckResult.Unhealthy("The database cannot be reached.");
}

internal sealed class MigrationsHealthCheck(Migrator migrator) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var pending = await migrator.PendingAsync(ct);
        return pending.Count == 0
            ? HealthCheckResult.Healthy("Every migration is applied.")
            : HealthCheckResult.Unhealthy($"Migrations not applied: {string.Join(", ", pending)}. Start the app (it migrates at start) or check its log.");
    }
}

internal sealed class InboxHealthCheck(InboxStore inbox, TimeProvider time, Microsoft.Extensions.Options.IOptions<HealthOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var (_, oldest) = await inbox.DueSummaryAsync(now - options.Value.InboxStuckAfter, ct);
        return oldest is not { } due
            ? HealthCheckResult.Healthy("The inbox is being processed.")
            : HealthCheckResult.Unhealthy($"An inbox row has waited since {due:yyyy-MM-dd HH:mm:ss} UTC ({(now - due).TotalMinutes:F0} min) for a worker: are Webhooks:Workers running?");
    }
}
