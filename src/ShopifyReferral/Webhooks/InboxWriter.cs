using System.Data;
using System.Data.Common;
using System.Threading.Channels;
using Dapper;
using Microsoft.Extensions.Options;
using ShopifyReferral.Data;

namespace ShopifyReferral.Webhooks;

public sealed record InboxDelivery(
    string Shop, string Topic, string WebhookId, string? EventId, string? TriggeredAt, string? ApiVersion,
    byte[] Body, long ReceivedAt);

/// <summary>
/// Group commit for the webhook hot path. Requests queue their row and wait; one writer drains whatever
/// is queued into a single transaction, commits once (one fsync for many rows), then releases every
/// waiter. No request is answered before the transaction holding its row has committed.
/// The queue is bounded by the bytes it holds (Webhooks:IntakeQueueBytes): when the database falls behind, a new
/// delivery is refused at once (the endpoint answers 503 and Shopify retries it) instead of memory growing until
/// the process dies with everything queued.
/// </summary>
public sealed class InboxWriter(Db db, InboxSignal signal, IntakeGate gate, IOptions<WebhookOptions> options, ILogger<InboxWriter> log)
    : IHostedService
{
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new() { SingleReader = true });
    private readonly WalCheckpointer? _checkpointer = db.Provider == DatabaseProvider.Sqlite ? new(db, log) : null;
    private Task? _loop;
    private long _queuedBytes;

    /// <summary>
    /// Queues the delivery for the next group commit: the task is true when the row was stored, false when this
    /// delivery was already in the inbox. Null when the queue is full: nothing was queued.
    /// </summary>
    public Task<bool>? TryAdd(InboxDelivery delivery)
    {
        var size = delivery.Body.LongLength;
        // The first delivery always fits, however large, so one body over the limit cannot block intake for good.
        var total = Interlocked.Add(ref _queuedBytes, size);
        if (total > options.Value.IntakeQueueBytes && total != size)
        {
            Interlocked.Add(ref _queuedBytes, -size);
            return null;
        }
        var pending = new Pending(delivery);
        if (!_queue.Writer.TryWrite(pending))
        {
            Interlocked.Add(ref _queuedBytes, -size);
            throw new InvalidOperationException("The inbox is shutting down.");
        }
        return pending.Done.Task;
    }

    /// <summary>As <see cref="TryAdd"/> for background callers, which retry later when the queue is full.</summary>
    public Task<bool> AddAsync(InboxDelivery delivery) =>
        TryAdd(delivery) ?? throw new InboxFullException();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Its own thread, not the pool's: every 200 waits on this loop, so it must never queue behind pool work
        // (SQLite calls block their threads, see Operations/PoolThreads).
        _loop = Task.Factory.StartNew(Run, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Drain: every request already queued still gets its commit and its answer.
        _queue.Writer.TryComplete();
        if (_loop is not null) await _loop.WaitAsync(cancellationToken);
        if (_checkpointer is not null) await _checkpointer.WhenIdle.WaitAsync(cancellationToken);
    }

    private void Run()
    {
        var batch = new List<Pending>(options.Value.MaxGroupCommit);
        DbConnection? conn = null;
        DbCommand? insert = null;
        while (WaitForRows())
        {
            batch.Clear();
            while (batch.Count < options.Value.MaxGroupCommit && _queue.Reader.TryRead(out var p)) batch.Add(p);
            // Out of the queue's count once taken: their bytes are now the writer's, bounded by MaxGroupCommit.
            Interlocked.Add(ref _queuedBytes, -batch.Sum(p => p.Delivery.Body.LongLength));
            try
            {
                if (conn is null) (conn, insert) = Open();
                gate.Enter(); // an inbox loop in a batch transaction commits early and lets this commit first
                try
                {
                    Write(conn, insert!, batch);
                }
                finally
                {
                    gate.Exit();
                }
                foreach (var p in batch) p.Done.TrySetResult(p.Inserted);
                signal.Notify();
                _checkpointer?.RowsCommitted(batch.Count);
            }
            catch (Exception ex)
            {
                log.LogError(ex, "Group commit of {Count} webhook rows failed", batch.Count);
                foreach (var p in batch) p.Done.TrySetException(ex);
                insert?.Dispose();
                conn?.Dispose();
                (conn, insert) = (null, null);
            }
        }
        insert?.Dispose();
        conn?.Dispose();
    }

    /// <summary>Blocks this thread until a row is queued; false once the queue is completed and empty.</summary>
    private bool WaitForRows()
    {
        var ready = _queue.Reader.WaitToReadAsync();
        return ready.IsCompleted ? ready.Result : ready.AsTask().GetAwaiter().GetResult();
    }

    private static void Write(DbConnection conn, DbCommand insert, List<Pending> batch)
    {
        using var tx = conn.BeginTransaction();
        insert.Transaction = tx;
        // In key order, so two instances inserting the same delivery lock its key in the same order and never deadlock.
        foreach (var p in batch.OrderBy(p => p.Delivery.Shop, StringComparer.OrdinalIgnoreCase).ThenBy(p => p.Delivery.WebhookId, StringComparer.OrdinalIgnoreCase))
        {
            var d = p.Delivery;
            var ps = insert.Parameters;
            ps[0].Value = d.Shop;
            ps[1].Value = d.Topic;
            ps[2].Value = d.WebhookId;
            ps[3].Value = (object?)d.EventId ?? DBNull.Value;
            ps[4].Value = (object?)d.TriggeredAt ?? DBNull.Value;
            ps[5].Value = (object?)d.ApiVersion ?? DBNull.Value;
            ps[6].Value = d.Body;
            ps[7].Value = d.ReceivedAt;
            p.Inserted = insert.ExecuteNonQuery() == 1;
        }
        tx.Commit();
    }

    private (DbConnection, DbCommand) Open()
    {
        // SQLite: durable commits, no automatic checkpoint in them (checkpoints run beside the writer, see
        // WalCheckpointer), and like every connection a busy handler that retries each millisecond (SqliteBusyWait),
        // so it waits for a worker's write lock inside SQLite rather than in Microsoft.Data.Sqlite's retry loop.
        var conn = db.OpenAsync(SqliteUse.Intake).GetAwaiter().GetResult(); // completes on this thread: no await here
        // One prepared command reused for every row: this loop is the hottest code in the app,
        // so it skips Dapper's per-call parameter mapping.
        var cmd = conn.CreateCommand();
        cmd.CommandText = db.Dialect.InsertInbox;
        foreach (var (name, type) in Columns)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.DbType = type;
            if (type == DbType.Binary) p.Size = -1;
            // SQL Server: strings sized as Dapper sizes them (nvarchar(4000)); a size taken from each value would
            // compile and cache a plan per distinct length. A value too long for its column still fails. (SQLite
            // would truncate to Size, so it keeps none.)
            if (type == DbType.String && db.Provider == DatabaseProvider.SqlServer) p.Size = 4000;
            cmd.Parameters.Add(p);
        }
        return (conn, cmd);
    }

    private static readonly (string, DbType)[] Columns =
    [
        ("@shop", DbType.String), ("@topic", DbType.String), ("@webhook_id", DbType.String), ("@event_id", DbType.String),
        ("@triggered_at", DbType.String), ("@api_version", DbType.String), ("@body", DbType.Binary), ("@received_at", DbType.Int64),
    ];

    public sealed class InboxFullException() : Exception("The webhook intake queue is full; retry later.");

    private sealed class Pending(InboxDelivery delivery)
    {
        public InboxDelivery Delivery { get; } = delivery;
        public bool Inserted { get; set; }
        public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
