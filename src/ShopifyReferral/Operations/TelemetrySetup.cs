using System.Diagnostics.Metrics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using ShopifyReferral.Webhooks;

namespace ShopifyReferral.Operations;

/// <summary>
/// OpenTelemetry metrics and traces: ASP.NET Core and HttpClient instrumentation plus <see cref="AppMetrics"/> and the
/// inbox gauges. Exported over OTLP when the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> variable is set (logs too),
/// and scraped at <c>/metrics</c> in Prometheus' text format when <c>Telemetry:Prometheus</c> is true (off by default:
/// the figures tell how busy each shop's program is, so the operator opens them, not the internet).
/// </summary>
public static class TelemetrySetup
{
    public static IServiceCollection AddTelemetry(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton<InboxGauges>();
        var prometheus = config.GetValue("Telemetry:Prometheus", false);
        var otel = services.AddOpenTelemetry()
            .WithMetrics(m =>
            {
                m.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddMeter(AppMetrics.MeterName);
                if (prometheus) m.AddPrometheusExporter();
            })
            .WithTracing(t => t.AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/health"))
                .AddHttpClientInstrumentation());
        if (!string.IsNullOrWhiteSpace(config["OTEL_EXPORTER_OTLP_ENDPOINT"])) otel.WithLogging().UseOtlpExporter();
        return services;
    }

    public static WebApplication MapTelemetry(this WebApplication app)
    {
        app.Services.GetRequiredService<InboxGauges>(); // its gauges exist from the start
        if (app.Configuration.GetValue("Telemetry:Prometheus", false)) app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}

/// <summary>
/// Inbox depth and the age of the oldest due row, read from the database when a reader collects (a scrape, an OTLP
/// export), at most every 5 seconds, so a busy scraper costs the database one small indexed query per 5 seconds.
/// </summary>
public sealed class InboxGauges
{
    private static readonly TimeSpan Fresh = TimeSpan.FromSeconds(5);
    private readonly InboxStore _inbox;
    private readonly TimeProvider _time;
    private readonly ILogger<InboxGauges> _log;
    private readonly Lock _gate = new();
    private (long Due, double OldestSeconds) _last;
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;

    public InboxGauges(IMeterFactory meters, InboxStore inbox, TimeProvider time, ILogger<InboxGauges> log)
    {
        (_inbox, _time, _log) = (inbox, time, log);
        var meter = meters.Create(AppMetrics.MeterName);
        meter.CreateObservableGauge("shopifyreferral.inbox.depth", () => Read().Due, "{delivery}", "Inbox rows due now and not yet handled.");
        meter.CreateObservableGauge("shopifyreferral.inbox.oldest_due_age", () => Read().OldestSeconds, "s",
            "How long the longest-waiting due inbox row has waited (0 when none): rising means the workers fall behind.");
    }

    private (long Due, double OldestSeconds) Read()
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (now - _readAt < Fresh) return _last;
            try
            {
                // Collection callbacks are synchronous; the query is one indexed aggregate.
                var (due, oldest) = _inbox.DueSummaryAsync(now, CancellationToken.None).GetAwaiter().GetResult();
                _last = (due, oldest is { } at ? Math.Max(0, (now - at).TotalSeconds) : 0);
            }
            catch (Exception ex)
            {
                _log.LogWarning(ex, "Reading the inbox gauges failed; showing the last figures");
            }
            _readAt = now;
            return _last;
        }
    }
}
