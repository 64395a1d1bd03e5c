using System.Text.Json;
using Microsoft.Extensions.Options;
using ShopifyReferral.Shops;

namespace ShopifyReferral.Webhooks;

/// <summary>
/// The inbox's side of the worker host (<see cref="Jobs.Workers"/> runs its loops): claim due rows with a lease,
/// dispatch by topic, and record the outcome. A failing handler is retried with exponential backoff until
/// Webhooks:MaxAttempts, then the row is failed with its error; a topic nobody handles is skipped.
/// </summary>
public sealed class WebhookProcessor(
    InboxStore inbox, IEnumerable<IWebhookHandler> handlers, IOptions<WebhookOptions> options,
    TimeProvider time, ILogger<WebhookProcessor> log)
{
    private readonly Dictionary<string, IWebhookHandler> _byTopic = handlers
        .SelectMany(h => h.Topics.Select(t => (t, h)))
        .ToDictionary(x => x.t, x => x.h, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Claims one batch and processes it. Returns how many rows were claimed. While the batch is worked a heartbeat
    /// renews its lease, so a slow Shopify never lets another worker take rows this one still holds; each row is
    /// checked to be still ours just before it is handled (fencing, with the fenced outcome writes).
    /// </summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var o = options.Value;
        var owner = Guid.NewGuid().ToString("N");
        var rows = await inbox.ClaimAsync(owner, o.ClaimBatchSize, time.GetUtcNow(), o.LeaseDuration, ct);
        if (rows.Count == 0) return 0;
        using var stopHeartbeat = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var heartbeat = KeepLeaseAsync(owner, stopHeartbeat.Token);
        var done = new List<long>();
        try
        {
            foreach (var row in rows)
            {
                if (!await inbox.TouchAsync(row.Id, owner, time.GetUtcNow() + o.LeaseDuration, ct))
                {
                    log.LogWarning("Webhook {Id} ({Topic}) was taken over by another worker after a lapsed lease; not handled here", row.Id, row.Topic);
                    continue;
                }
                await ProcessAsync(row, owner, done, ct);
            }
        }
        finally
        {
            // The batch's successes are recorded together. A crash before this write leaves them to be handled again
            // after the lease runs out, which the handlers make harmless (they read stored state, keys are UNIQUE).
            var recorded = await inbox.FinishManyAsync(done, owner, "done", time.GetUtcNow());
            if (recorded < done.Count)
                log.LogWarning("{Lost} of {Count} webhooks of lease {Owner} ran out while being handled; their outcome was not recorded", done.Count - recorded, done.Count, owner);
            await stopHeartbeat.CancelAsync();
            await heartbeat;
        }
        return rows.Count;
    }

    /// <summary>Renews the batch's lease every third of its length until the batch is done.</summary>
    private async Task KeepLeaseAsync(string owner, CancellationToken ct)
    {
        var lease = options.Value.LeaseDuration;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(lease / 3, time, ct);
                await inbox.RenewAsync(owner, time.GetUtcNow() + lease, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A missed renewal is not fatal: the rows stay fenced, and the next beat tries again.
                log.LogWarning(ex, "Renewing the lease of a webhook batch failed; trying again");
            }
        }
    }

    private async Task ProcessAsync(InboxRow row, string owner, List<long> done, CancellationToken ct)
    {
        var o = options.Value;
        if (row.Attempts > o.MaxAttempts)
        {
            // Claimed again and again without ever finishing: its worker died each time (lease expired).
            Fenced(row, owner, await inbox.FinishAsync(row.Id, owner, "failed", $"Gave up after {o.MaxAttempts} attempts; the last ones never finished (worker crash or lease expiry).", time.GetUtcNow()));
            return;
        }
        try
        {
            var (status, note) = await DispatchAsync(row, ct);
            if (status == "done") done.Add(row.Id); // recorded with the batch's other successes
            else Fenced(row, owner, await inbox.FinishAsync(row.Id, owner, status, note, time.GetUtcNow()));
            Measure(row, status);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw; // shutting down: the lease expires and another worker takes the row
        }
        catch (Exception ex) when (IsShopUnavailable(ex))
        {
            // No usable token (uninstalled, or a refused refresh): not the row's fault, so no attempt is spent.
            log.LogInformation("Webhook {Id} ({Topic}) parked: {Why}", row.Id, row.Topic, ex.Message);
            Fenced(row, owner, await inbox.ParkAsync(row.Id, owner, ShopStore.ParkedPrefix + ex.Message, time.GetUtcNow() + o.ParkedRecheck));
            Measure(row, "parked");
        }
        catch (Exception ex) when (ex is PermanentWebhookException || row.Attempts >= o.MaxAttempts)
        {
            log.LogWarning(ex, "Webhook {Id} ({Topic}) failed for good after {Attempts} attempt(s)", row.Id, row.Topic, row.Attempts);
            Fenced(row, owner, await inbox.FinishAsync(row.Id, owner, "failed", Describe(ex), time.GetUtcNow()));
            Measure(row, "failed");
        }
        catch (Exception ex)
        {
            var delay = Backoff(row.Attempts);
            log.LogInformation(ex, "Webhook {Id} ({Topic}) attempt {Attempts} failed; retrying in {Delay}", row.Id, row.Topic, row.Attempts, delay);
            Fenced(row, owner, await inbox.RetryLaterAsync(row.Id, owner, Describe(ex), time.GetUtcNow() + delay));
            Measure(row, "retry");
        }
    }

    private void Measure(InboxRow row, string outcome) =>
        Operations.AppMetrics.WebhookProcessed(row.Topic, outcome, DateTimeOffset.FromUnixTimeMilliseconds(row.ReceivedAt), time.GetUtcNow());

    /// <summary>
    /// An outcome the fence refused: the lease ran out while the row was being handled and another worker may have
    /// taken it, so its handler may run twice (handlers are idempotent; a longer Webhooks:LeaseDuration avoids it).
    /// </summary>
    private void Fenced(InboxRow row, string owner, bool recorded)
    {
        if (!recorded)
            log.LogWarning("Webhook {Id} ({Topic}): lease {Owner} ran out while it was being handled; its outcome was not recorded", row.Id, row.Topic, owner);
    }

    private async Task<(string Status, string? Note)> DispatchAsync(InboxRow row, CancellationToken ct)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(row.Body);
        }
        catch (JsonException ex)
        {
            throw new PermanentWebhookException($"Malformed JSON: {ex.Message}", ex);
        }
        using (doc)
        {
            if (!_byTopic.TryGetValue(row.Topic, out var handler)) return ("skipped", null);
            var message = new WebhookMessage(row.Id, row.Shop, row.Topic, row.WebhookId, row.EventId, row.TriggeredAt, doc.RootElement, row.Attempts);
            try
            {
                await handler.HandleAsync(message, ct);
            }
            catch (SkippedWebhookException ex)
            {
                return ("skipped", ex.Message);
            }
            return ("done", null);
        }
    }

    /// <summary>base * 2^(attempt-1), capped, with +/-20% jitter so retries of a burst spread out.</summary>
    internal TimeSpan Backoff(int attempt)
    {
        var o = options.Value;
        var raw = o.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 20));
        var capped = Math.Min(raw, o.RetryMaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.8 + Random.Shared.NextDouble() * 0.4));
    }

    private static bool IsShopUnavailable(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
            if (ex is ShopNotInstalledException) return true;
        return false;
    }

    private static string Describe(Exception ex) => $"{ex.GetType().Name}: {ex.Message}";
}
