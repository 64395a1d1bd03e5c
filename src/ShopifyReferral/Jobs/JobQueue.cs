using System.Data.Common;
using System.Globalization;
using Dapper;
using ShopifyReferral.Data;

namespace ShopifyReferral.Jobs;

/// <summary>
/// The jobs table and nothing else writes it. A decision asks for its side effect with <see cref="EnqueueAsync"/>
/// inside its own transaction, so the decision and the job commit together or not at all. One row per (kind,
/// subject): asking again wakes the job (wakes + 1); a finish that finds wakes changed queues the job once more, so a
/// wish that arrived mid-run is never lost. Every finishing write is fenced by the lease owner: a worker whose lease
/// ran out records nothing over the worker that took the job after it.
/// </summary>
public sealed class JobQueue(Db db, JobSignal signal, TimeProvider time)
{
    /// <summary>Prefix of last_error while a job waits for its shop's token; a new install makes those due at once.</summary>
    public const string ParkedPrefix = Shops.ShopStore.ParkedPrefix;

    public Task EnqueueAsync(DbConnection conn, DbTransaction? tx, string kind, long subject, string shop, DateTimeOffset? due = null) =>
        EnqueueAsync(conn, tx, kind, subject.ToString(CultureInfo.InvariantCulture), shop, due);

    public async Task EnqueueAsync(DbConnection conn, DbTransaction? tx, string kind, string subject, string shop, DateTimeOffset? due = null)
    {
        var now = time.GetUtcNow();
        await conn.ExecuteAsync(SqlDialect.Of(conn).EnqueueJob, new
        {
            kind, subject, shop, due = (due ?? now).ToUnixTimeMilliseconds(), now = now.ToUnixTimeMilliseconds(),
        }, tx);
        // Committed or not, a wake-up costs an empty claim at most.
        signal.Notify();
    }

    /// <summary>Enqueues on its own connection and transaction, for callers outside one.</summary>
    public async Task EnqueueAsync(string kind, string subject, string shop, DateTimeOffset? due = null, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        await EnqueueAsync(conn, null, kind, subject, shop, due);
    }

    public async Task<IReadOnlyList<Job>> ClaimAsync(string owner, int limit, string? kind, string? subject, TimeSpan lease, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var conn = await db.OpenAsync(ct);
        var rows = await conn.QueryAsync<(long Id, string Kind, string Subject, string Shop, int Attempts, int Wakes)>(db.Dialect.ClaimJobs, new
        {
            owner, limit, kind, subject, now = now.ToUnixTimeMilliseconds(), lease_until = (now + lease).ToUnixTimeMilliseconds(),
        });
        return rows.Select(r => new Job(r.Id, r.Kind, r.Subject, r.Shop, r.Attempts, r.Wakes, owner)).ToList();
    }

    /// <summary>Right before a job runs: still ours (a lapsed lease may have been taken over), and leased for the run.</summary>
    public Task<bool> TouchAsync(Job job, TimeSpan lease, CancellationToken ct) => WriteAsync(job,
        "due_at = @until", new { until = (time.GetUtcNow() + lease).ToUnixTimeMilliseconds() }, ct);

    public async Task RenewAsync(string owner, TimeSpan lease, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        await conn.ExecuteAsync("UPDATE jobs SET due_at = @until WHERE lease_owner = @owner AND status = 'running'",
            new { owner, until = (time.GetUtcNow() + lease).ToUnixTimeMilliseconds() });
    }

    /// <summary>Done, or due again at <paramref name="at"/>; either way at once if it was woken while it ran.</summary>
    public Task<bool> FinishAsync(Job job, DateTimeOffset? at, CancellationToken ct) => WriteAsync(job, """
        status = CASE WHEN wakes <> @wakes OR @at IS NOT NULL THEN 'queued' ELSE 'done' END,
        due_at = CASE WHEN wakes <> @wakes OR @at IS NULL THEN @now ELSE @at END,
        attempts = 0, last_error = NULL, lease_owner = NULL
        """, new { wakes = job.Wakes, at = at?.ToUnixTimeMilliseconds() }, ct);

    /// <summary>Failed this attempt: due again after <paramref name="delay"/>. Parked: the attempt is not counted.</summary>
    public Task<bool> RetryAsync(Job job, TimeSpan delay, string error, bool parked, CancellationToken ct) => WriteAsync(job, """
        status = 'queued', due_at = @due, last_error = @error, lease_owner = NULL, attempts = attempts - @refund
        """, new { due = (time.GetUtcNow() + delay).ToUnixTimeMilliseconds(), error = parked ? ParkedPrefix + error : error, refund = parked ? 1 : 0 }, ct);

    /// <summary>Given up: failed with why, unless a new wish arrived meanwhile (then it starts over).</summary>
    public Task<bool> FailAsync(Job job, string error, CancellationToken ct) => WriteAsync(job, """
        status = CASE WHEN wakes <> @wakes THEN 'queued' ELSE 'failed' END,
        attempts = CASE WHEN wakes <> @wakes THEN 0 ELSE attempts END,
        due_at = @now, last_error = @error, lease_owner = NULL
        """, new { wakes = job.Wakes, error }, ct);

    /// <summary>After an install or a token exchange: the shop's parked jobs are due now.</summary>
    public async Task WakeParkedAsync(string shop, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var woken = await conn.ExecuteAsync("""
            UPDATE jobs SET due_at = @now WHERE shop = @shop AND status = 'queued' AND last_error LIKE @parked AND due_at > @now
            """, new { shop, now = time.GetUtcNow().ToUnixTimeMilliseconds(), parked = ParkedPrefix + "%" });
        if (woken > 0) signal.Notify();
    }

    private async Task<bool> WriteAsync(Job job, string set, object args, CancellationToken ct)
    {
        var p = new DynamicParameters(args);
        p.Add("id", job.Id);
        p.Add("owner", job.Owner);
        p.Add("now", time.GetUtcNow().ToUnixTimeMilliseconds());
        await using var conn = await db.OpenAsync(ct);
        return await conn.ExecuteAsync($"UPDATE jobs SET {set}, updated_at = @now WHERE id = @id AND lease_owner = @owner AND status = 'running'", p) == 1;
    }
}
