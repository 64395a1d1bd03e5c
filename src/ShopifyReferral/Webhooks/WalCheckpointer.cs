using Dapper;
using ShopifyReferral.Data;

namespace ShopifyReferral.Webhooks;

/// <summary>
/// SQLite only. The intake's connection turns automatic checkpoints off: a checkpoint copies the WAL into
/// the database file and fsyncs it, milliseconds that every request of that group commit would
/// wait for. Instead, after every <see cref="EveryRows"/> rows the writer starts a PASSIVE checkpoint here,
/// on its own connection and off the request path; PASSIVE never takes the write lock, so group commits go on
/// meanwhile. Called from the writer loop only, so no locking. https://www.sqlite.org/wal.html#ckpt
/// </summary>
internal sealed class WalCheckpointer(Db db, ILogger log)
{
    /// <summary>
    /// About one or two group commits. A checkpoint ends with an fsync of the database file, and while that runs the
    /// intake's own commit (an fsync of the WAL) waits for it in the file system: copying 1,000 rows (some MB) at a
    /// time made those waits the intake's p99 (243 ms with the workers off; 25 ms every 100 rows, 19-21 ms every 32,
    /// bench/README.md). Small checkpoints back to back keep each of those waits short.
    /// </summary>
    public const int EveryRows = 32;

    private Task _running = Task.CompletedTask;
    private int _rows;

    public void RowsCommitted(int count)
    {
        _rows += count;
        if (_rows < EveryRows || !_running.IsCompleted) return;
        _rows = 0;
        _running = Task.Run(CheckpointAsync);
    }

    public Task WhenIdle => _running;

    private async Task CheckpointAsync()
    {
        try
        {
            await using var conn = await db.OpenAsync();
            if (db.Provider == DatabaseProvider.Sqlite) await conn.ExecuteAsync("PRAGMA wal_checkpoint(PASSIVE);");
        }
        catch (Exception ex)
        {
            // Harmless: the next one copies these pages too; until then the WAL is just longer.
            log.LogWarning(ex, "WAL checkpoint failed; will try again after more rows");
        }
    }
}
