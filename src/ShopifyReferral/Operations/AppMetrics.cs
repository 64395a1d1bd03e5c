using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ShopifyReferral.Operations;

/// <summary>
/// The app's own instruments, on one meter. Each is recorded at the one place every case passes through: the webhook
/// endpoint, the inbox processor, the events outbox (every referral and reward state change writes an event), the job
/// runner (every side effect), the Shopify client's send, the token refresh. Tags are low-cardinality by design: no shop,
/// no ids (those belong in logs and traces), so a store with thousands of shops does not make thousands of series.
/// </summary>
public static class AppMetrics
{
    public const string MeterName = "ShopifyReferral";
    internal static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> WebhooksReceived = Meter.CreateCounter<long>(
        "shopifyreferral.webhooks.received", "{delivery}", "Webhook deliveries by topic and outcome (stored, or rejected with the reason).");

    private static readonly Histogram<double> ProcessingLag = Meter.CreateHistogram<double>(
        "shopifyreferral.webhooks.processing_lag", "s", "From a delivery's 200 to its handling finished.");

    private static readonly Counter<long> InboxOutcomes = Meter.CreateCounter<long>(
        "shopifyreferral.webhooks.processed", "{delivery}", "Inbox rows handled, by topic and outcome (done, skipped, retry, parked, failed).");

    private static readonly Counter<long> Events = Meter.CreateCounter<long>(
        "shopifyreferral.events", "{event}", "State changes by type: referral.approved, referral.rejected, reward.owed, reward.issued, ...");

    private static readonly Counter<long> Jobs = Meter.CreateCounter<long>(
        "shopifyreferral.jobs", "{job}", "Job runs by kind and outcome (done, later, parked, retry, failed); reward.issue failed = rewards that failed.");

    private static readonly Counter<long> ShopifyCalls = Meter.CreateCounter<long>(
        "shopifyreferral.shopify.calls", "{call}", "Admin API calls by operation and outcome (ok, throttled, graphql_error, http_NNN, error).");

    private static readonly Histogram<double> ShopifyDuration = Meter.CreateHistogram<double>(
        "shopifyreferral.shopify.call.duration", "s", "Admin API call time by operation.");

    private static readonly Histogram<double> ThrottleAvailable = Meter.CreateHistogram<double>(
        "shopifyreferral.shopify.throttle.available", "{point}", "Points left in the shop's bucket after each call (the cost extension's currentlyAvailable).");

    private static readonly Counter<long> TokenRefreshes = Meter.CreateCounter<long>(
        "shopifyreferral.tokens.refreshes", "{refresh}", "Access token refreshes by outcome (refreshed, failed, refused).");

    public static void WebhookReceived(string? topic, string outcome, string? reason = null) =>
        WebhooksReceived.Add(1, new("topic", topic ?? "unverified"), new("outcome", outcome), new("reason", reason ?? "none"));

    public static void WebhookProcessed(string topic, string outcome, DateTimeOffset receivedAt, DateTimeOffset now)
    {
        InboxOutcomes.Add(1, new("topic", topic), new("outcome", outcome));
        if (outcome is "done" or "skipped" or "failed") ProcessingLag.Record(Math.Max(0, (now - receivedAt).TotalSeconds), new KeyValuePair<string, object?>("topic", topic));
    }

    public static void Event(string type) => Events.Add(1, new KeyValuePair<string, object?>("type", type));

    public static void Job(string kind, string outcome) => Jobs.Add(1, new("kind", kind), new("outcome", outcome));

    public static void ShopifyCall(string operation, string outcome, TimeSpan elapsed)
    {
        ShopifyCalls.Add(1, new("operation", operation), new("outcome", outcome));
        ShopifyDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("operation", operation));
    }

    public static void Throttle(string operation, double available) =>
        ThrottleAvailable.Record(available, new KeyValuePair<string, object?>("operation", operation));

    public static void TokenRefresh(string outcome) => TokenRefreshes.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>Times a section for <see cref="ShopifyCall"/>.</summary>
    public static long Start() => Stopwatch.GetTimestamp();
}
