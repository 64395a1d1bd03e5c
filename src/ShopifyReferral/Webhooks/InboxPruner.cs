using Dapper;
using Microsoft.Extensions.Options;
using ShopifyReferral.Data;
using ShopifyReferral.Jobs;

namespace ShopifyReferral.Webhooks;

/// <summary>
/// Job inbox.prune, hourly: keeps raw deliveries only for Webhooks:Retention after they were processed: done and
/// skipped rows are deleted, failed rows lose their body (their row and error stay, for the merchant's list). Works in
/// batches of a few hundred rows, each its own short statement, so the intake never waits long for the write lock.
/// </summary>
public sealed class InboxPruner(Db db, IOptions<WebhookOptions> options, TimeProvider time, ILogger<InboxPruner> log) : IPeriodicJob
{
    internal const int Batch = 500;

    public string Kind => "inbox.prune";

    public bool NeedsShop => false;

    public TimeSpan Every => TimeSpan.FromHours(1);

    public async Task<JobResult> RunAsync(Job job, CancellationToken ct)
    {
        var (deleted, redacted) = await RunOnceAsync(ct);
        if (deleted + redacted > 0)
            log.LogInformation("Inbox retention: deleted {Deleted} processed deliveries, removed the body of {Redacted} failed ones", deleted, redacted);
        return JobResult.Later(time.GetUtcNow() + Every, deleted + redacted > 0);
    }

    /// <summary>One sweep: every row past the retention. Returns how many rows were deleted and how many bodies removed.</summary>
    public async Task<(int Deleted, int Redacted)> RunOnceAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var args = new
        {
            cutoff = (now - options.Value.Retention).ToUnixTimeMilliseconds(), now = now.ToUnixTimeMilliseconds(),
            body = InboxStore.RemovedBody, limit = Batch,
        };
        var delete = $"""
            DELETE FROM webhook_inbox WHERE id IN ({db.FirstRows("""
                SELECT id FROM webhook_inbox WHERE processed_at < @cutoff AND status IN ('done', 'skipped') ORDER BY processed_at
                """)})
            """;
        var redact = $"""
            UPDATE webhook_inbox SET body = @body, body_removed_at = @now WHERE id IN ({db.FirstRows("""
                SELECT id FROM webhook_inbox WHERE processed_at < @cutoff AND status = 'failed' AND body_removed_at IS NULL ORDER BY processed_at
                """)})
            """;
        return (await RepeatAsync(delete, args, ct), await RepeatAsync(redact, args, ct));
    }

    private async Task<int> RepeatAsync(string sql, object args, CancellationToken ct)
    {
        var total = 0;
        int n;
        do
        {
            await using var conn = await db.OpenAsync(ct);
            total += n = await conn.ExecuteAsync(sql, args);
        } while (n == Batch);
        return total;
    }
}
