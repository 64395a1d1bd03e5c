using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace ShopifyReferral.Shopify;

/// <summary>
/// Per-shop pacing from <c>extensions.cost.throttleStatus</c>. The Admin API is a leaky bucket per
/// (app, shop) that charges the requested cost up front (shopify.dev/docs/api/usage/limits), so before a
/// call we wait until the estimated bucket covers the cost this document asked for last time. Steady load
/// then stays under the limit instead of bouncing off THROTTLED.
/// </summary>
public sealed class ShopPacer(TimeProvider time, IOptions<ShopifyOptions> options)
{
    private sealed class Bucket
    {
        public double Maximum;
        public double Available;
        public double RestoreRate;
        public long ObservedAt;
    }

    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, double> _requestedCost = new(StringComparer.Ordinal);

    /// <summary>Waits until the shop's bucket should hold enough points, and reserves them.</summary>
    public async ValueTask WaitTurnAsync(string shop, string operation, CancellationToken ct)
    {
        if (!_buckets.TryGetValue(shop, out var bucket)) return; // nothing known yet: the first call learns
        var cost = _requestedCost.GetValueOrDefault(operation, options.Value.DefaultQueryCost);
        TimeSpan wait;
        lock (bucket)
        {
            var available = Estimate(bucket);
            wait = available >= cost || bucket.RestoreRate <= 0
                ? TimeSpan.Zero
                : TimeSpan.FromSeconds((cost - available) / bucket.RestoreRate);
            // Reserve the points so concurrent callers for the same shop queue behind this one.
            bucket.Available = available - cost;
            bucket.ObservedAt = time.GetTimestamp();
        }
        if (wait > options.Value.MaxRetryDelay) wait = options.Value.MaxRetryDelay;
        if (wait > TimeSpan.Zero) await Task.Delay(wait, time, ct);
    }

    /// <summary>Records <c>extensions.cost</c> of a response (success or THROTTLED).</summary>
    public void Observe(string shop, string operation, JsonElement cost)
    {
        if (cost.ValueKind != JsonValueKind.Object) return;
        if (TryNumber(cost, "requestedQueryCost", out var requested)) _requestedCost[operation] = requested;
        if (!cost.TryGetProperty("throttleStatus", out var status) || status.ValueKind != JsonValueKind.Object) return;
        if (!TryNumber(status, "currentlyAvailable", out var available) || !TryNumber(status, "restoreRate", out var rate)) return;
        TryNumber(status, "maximumAvailable", out var maximum);
        var bucket = _buckets.GetOrAdd(shop, _ => new Bucket());
        lock (bucket)
        {
            bucket.Maximum = maximum > 0 ? maximum : Math.Max(bucket.Maximum, available);
            bucket.Available = available;
            bucket.RestoreRate = rate;
            bucket.ObservedAt = time.GetTimestamp();
        }
    }

    /// <summary>Estimated points available now, for tests and diagnostics.</summary>
    public double? EstimateAvailable(string shop)
    {
        if (!_buckets.TryGetValue(shop, out var bucket)) return null;
        lock (bucket) return Estimate(bucket);
    }

    /// <summary>How long a THROTTLED call should wait: (requested - currentlyAvailable) / restoreRate seconds.</summary>
    public static TimeSpan? ThrottleWait(JsonElement cost)
    {
        if (cost.ValueKind != JsonValueKind.Object
            || !TryNumber(cost, "requestedQueryCost", out var requested)
            || !cost.TryGetProperty("throttleStatus", out var status)
            || !TryNumber(status, "currentlyAvailable", out var available)
            || !TryNumber(status, "restoreRate", out var rate) || rate <= 0)
            return null;
        return TimeSpan.FromSeconds(Math.Max(0, requested - available) / rate);
    }

    private double Estimate(Bucket bucket)
    {
        var elapsed = time.GetElapsedTime(bucket.ObservedAt).TotalSeconds;
        return Math.Min(bucket.Maximum, bucket.Available + elapsed * bucket.RestoreRate);
    }

    private static bool TryNumber(JsonElement parent, string name, out double value)
    {
        value = 0;
        return parent.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out value);
    }
}
