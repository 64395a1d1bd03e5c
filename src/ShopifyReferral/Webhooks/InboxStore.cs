using System.Text.Json.Serialization;
using Dapper;
using ShopifyReferral.Data;
using ShopifyReferral.Merchant;

namespace ShopifyReferral.Webhooks;

// Properties, not positional records: Dapper fills a constructor only when each column's reader type is exactly
// the parameter's, and no C# type is that for attempts on both SQLite (every integer is Int64) and SQL Server (INT).
public sealed record InboxRow
{
    public long Id { get; init; }
    public string Shop { get; init; } = "";
    public string Topic { get; init; } = "";
    public string WebhookId { get; init; } = "";
    public string? EventId { get; init; }
    public string? TriggeredAt { get; init; }
    public string? ApiVersion { get; init; }
    public byte[] Body { get; init; } = [];
    public int Attempts { get; init; }
    public long ReceivedAt { get; init; }
}

public sealed record FailedWebhook
{
    public long Id { get; init; }
    public string Shop { get; init; } = "";
    public string Topic { get; init; } = "";
    public string WebhookId { get; init; } = "";
    public int Attempts { get; init; }
    public string? LastError { get; init; }
    [JsonConverter(typeof(UnixMsJson))] public long ReceivedAt { get; init; }
    [JsonConverter(typeof(UnixMsJson))] public long? ProcessedAt { get; init; }
}

/// <summary>
/// The inbox's lifecycle after intake. A claim sets a lease (due_at = lease expiry) and a fresh owner token;
/// every later update is fenced on that token, so a worker whose lease expired cannot overwrite the
/// outcome of the worker that took the row over.
/// </summary>
public sealed class InboxStore(Db db)
{
    /// <summary>What a removed body becomes (after Webhooks:Retention, or a customer's redaction request).</summary>
    public static readonly byte[] RemovedBody = System.Text.Encoding.UTF8.GetBytes("""{"redacted":true}""");

    /// <summary>A customer's redaction: these rows' bodies become the removed marker, in one short write.</summary>
    public async Task RemoveBodiesAsync(IReadOnlyList<long> ids, DateTimeOffset now, CancellationToken ct)
    {
        if (ids.Count == 0) return;
        await using var conn = await db.OpenAsync(ct);
        await conn.ExecuteAsync($"UPDATE webhook_inbox SET body = @body, body_removed_at = @now WHERE {db.Dialect.InList("id", "@ids")}",
            new { body = RemovedBody, now = now.ToUnixTimeMilliseconds(), ids = ids.ToArray() });
    }

    /// <summary>
    /// How many rows a worker should have taken by <paramref name="now"/> (pending and due, or a lease that ran out),
    /// and since when the longest-waiting of them has been: the inbox gauges ask with the present, readiness with the
    /// present less its threshold (a live worker takes due rows within its poll interval, parked ones included).
    /// </summary>
    public async Task<(long Due, DateTimeOffset? OldestDueAt)> DueSummaryAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var row = await conn.QuerySingleAsync<(long Due, long? Oldest)>(
            "SELECT COUNT(*), MIN(due_at) FROM webhook_inbox WHERE status IN ('pending', 'processing') AND due_at <= @now",
            new { now = now.ToUnixTimeMilliseconds() });
        return (row.Due, row.Oldest is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null);
    }

    /// <summary>After a (re)install: rows parked for want of a token are due now, with their full retry budget (parking spent none).</summary>
    public async Task WakeParkedAsync(string shop, DateTimeOffset now, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        await conn.ExecuteAsync(
            "UPDATE webhook_inbox SET due_at = @now WHERE shop = @shop AND status = 'pending' AND last_error LIKE @parked AND due_at > @now",
            new { shop, now = now.ToUnixTimeMilliseconds(), parked = Shops.ShopStore.ParkedPrefix + "%" });
    }

    public async Task<IReadOnlyList<InboxRow>> ClaimAsync(string owner, int limit, DateTimeOffset now, TimeSpan lease, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        var rows = await conn.QueryAsync<InboxRow>(db.Dialect.ClaimInbox, new
        {
            owner, limit, now = now.ToUnixTimeMilliseconds(), lease_until = (now + lease).ToUnixTimeMilliseconds(),
        });
        return rows.AsList();
    }

    /// <summary>
    /// Extends the lease of every row this owner still holds (the heartbeat of a batch being worked). Rows taken over
    /// by another worker after a lapse are not touched: the owner token no longer matches.
    /// </summary>
    public async Task<int> RenewAsync(string owner, DateTimeOffset leaseUntil, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        return await conn.ExecuteAsync(
            "UPDATE webhook_inbox SET due_at = @until WHERE lease_owner = @owner AND status = 'processing'",
            new { owner, until = leaseUntil.ToUnixTimeMilliseconds() });
    }

    /// <summary>
    /// Checked just before a row is handled: true (and the lease extended) only while this owner still holds it, so a
    /// worker whose lease lapsed never starts a row another worker has taken.
    /// </summary>
    public async Task<bool> TouchAsync(long id, string owner, DateTimeOffset leaseUntil, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        return await conn.ExecuteAsync(
            "UPDATE webhook_inbox SET due_at = @until WHERE id = @id AND lease_owner = @owner AND status = 'processing'",
            new { id, owner, until = leaseUntil.ToUnixTimeMilliseconds() }) == 1;
    }

    /// <summary>Ends a claimed row as done, skipped or failed. False when the lease was lost meanwhile.</summary>
    public async Task<bool> FinishAsync(long id, string owner, string status, string? error, DateTimeOffset now)
    {
        await using var conn = await db.OpenAsync();
        return await conn.ExecuteAsync("""
            UPDATE webhook_inbox
            SET status = @status, last_error = @error, processed_at = @now, due_at = NULL, lease_owner = NULL
            WHERE id = @id AND lease_owner = @owner AND status = 'processing'
            """, new { id, owner, status, error, now = now.ToUnixTimeMilliseconds() }) == 1;
    }

    /// <summary>
    /// Ends many claimed rows with one status in one write (a batch's successes): one transaction for the batch
    /// instead of one per row. Returns how many were still this owner's; the others' leases lapsed meanwhile.
    /// </summary>
    public async Task<int> FinishManyAsync(IReadOnlyList<long> ids, string owner, string status, DateTimeOffset now)
    {
        if (ids.Count == 0) return 0;
        await using var conn = await db.OpenAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var finished = 0;
        foreach (var chunk in ids.Chunk(Db.MaxListParameters))
            finished += await conn.ExecuteAsync($"""
                UPDATE webhook_inbox
                SET status = @status, last_error = NULL, processed_at = @now, due_at = NULL, lease_owner = NULL
                WHERE {db.Dialect.InList("id", "@ids")} AND lease_owner = @owner AND status = 'processing'
                """, new { ids = chunk, owner, status, now = now.ToUnixTimeMilliseconds() }, tx);
        await tx.CommitAsync();
        return finished;
    }

    /// <summary>Puts a claimed row back to wait for its next attempt.</summary>
    public async Task<bool> RetryLaterAsync(long id, string owner, string error, DateTimeOffset dueAt)
    {
        await using var conn = await db.OpenAsync();
        return await conn.ExecuteAsync("""
            UPDATE webhook_inbox
            SET status = 'pending', last_error = @error, due_at = @due, lease_owner = NULL
            WHERE id = @id AND lease_owner = @owner AND status = 'processing'
            """, new { id, owner, error, due = dueAt.ToUnixTimeMilliseconds() }) == 1;
    }

    /// <summary>
    /// Puts a claimed row aside until its shop can be called again, giving back the attempt the claim counted:
    /// waiting for a merchant to re-authorise must never use up the retry budget or fail the row.
    /// </summary>
    public async Task<bool> ParkAsync(long id, string owner, string error, DateTimeOffset dueAt)
    {
        await using var conn = await db.OpenAsync();
        return await conn.ExecuteAsync("""
            UPDATE webhook_inbox
            SET status = 'pending', last_error = @error, due_at = @due, lease_owner = NULL, attempts = attempts - 1
            WHERE id = @id AND lease_owner = @owner AND status = 'processing'
            """, new { id, owner, error, due = dueAt.ToUnixTimeMilliseconds() }) == 1;
    }

    public async Task<IReadOnlyList<FailedWebhook>> ListFailedAsync(string? shop, int limit = 100, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        var rows = await conn.QueryAsync<FailedWebhook>(db.FirstRows("""
            SELECT id, shop, topic, webhook_id, attempts, last_error, received_at, processed_at
            FROM webhook_inbox
            WHERE status = 'failed' AND (@shop IS NULL OR shop = @shop)
            ORDER BY id DESC
            """), new { shop, limit });
        return rows.AsList();
    }

    /// <summary>Sends a failed or skipped row back to the workers with a fresh attempt budget, if its body is still kept.</summary>
    public async Task<bool> ReplayAsync(long id, string? shop, DateTimeOffset now, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        return await conn.ExecuteAsync("""
            UPDATE webhook_inbox
            SET status = 'pending', attempts = 0, due_at = @now, last_error = NULL, processed_at = NULL
            WHERE id = @id AND status IN ('failed', 'skipped') AND (@shop IS NULL OR shop = @shop) AND body_removed_at IS NULL
            """, new { id, shop, now = now.ToUnixTimeMilliseconds() }) == 1;
    }

    /// <summary>True when the row exists in the shop but its body was removed, so it cannot be replayed.</summary>
    public async Task<bool> BodyRemovedAsync(long id, string? shop, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        return await conn.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM webhook_inbox WHERE id = @id AND (@shop IS NULL OR shop = @shop) AND body_removed_at IS NOT NULL",
            new { id, shop }) > 0;
    }
}
