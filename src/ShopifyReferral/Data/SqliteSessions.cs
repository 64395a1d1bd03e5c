using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ShopifyReferral.Data;

/// <summary>What a SQLite connection is opened for; each asks for its own synchronous and checkpoint settings.</summary>
public enum SqliteUse
{
    /// <summary>Processing, referrals, rewards: commits at <see cref="DatabaseOptions.WorkSynchronous"/>.</summary>
    Work,

    /// <summary>A commit that must survive a power loss (the store-credit marker): <see cref="DatabaseOptions.Synchronous"/>.</summary>
    Durable,

    /// <summary>The inbox writer: durable commits, and no automatic checkpoint in its commits (WalCheckpointer runs them).</summary>
    Intake,
}

/// <summary>
/// The PRAGMAs a pooled SQLite connection still needs. Microsoft.Data.Sqlite pools the native handle, and PRAGMAs
/// such as busy_timeout, synchronous and foreign_keys belong to the handle, so they survive a close and reopen.
/// Sending them on every open cost a statement round per open (two PRAGMAs each, about 13 opens per order); here
/// a fresh handle gets them all once, and a reused one only what differs from what it was last opened for.
/// </summary>
internal sealed class SqliteSessions(string workSynchronous, string durableSynchronous)
{
    /// <summary>
    /// A lock conflict waits inside SQLite (<see cref="SqliteBusyWait"/> retries about every millisecond) this long,
    /// instead of failing to Microsoft.Data.Sqlite's own retry loop, which sleeps 150 ms between tries.
    /// </summary>
    public const int BusyTimeoutMs = 10_000;

    private const int DefaultAutocheckpoint = 1000; // SQLite's own default

    private sealed class State
    {
        public string? Synchronous;
        public int Autocheckpoint = DefaultAutocheckpoint;
    }

    private readonly ConditionalWeakTable<sqlite3, State> _states = new();

    /// <summary>The statements to run on this open connection before use, or null when it is already set up.</summary>
    public string? PragmasFor(SqliteConnection conn, SqliteUse use)
    {
        var fresh = !_states.TryGetValue(conn.Handle!, out var state);
        if (fresh) state = _states.GetValue(conn.Handle!, _ => new State());
        var synchronous = use == SqliteUse.Work ? workSynchronous : durableSynchronous;
        var autocheckpoint = use == SqliteUse.Intake ? 0 : DefaultAutocheckpoint;
        var pragmas = !fresh ? "" : SqliteDialect.Pragma("foreign_keys", "ON")
            + (SqliteBusyWait.TryInstall(conn) ? "" : SqliteDialect.Pragma("busy_timeout", BusyTimeoutMs));
        if (state!.Synchronous != synchronous) pragmas += SqliteDialect.Pragma("synchronous", synchronous);
        if (state.Autocheckpoint != autocheckpoint) pragmas += SqliteDialect.Pragma("wal_autocheckpoint", autocheckpoint);
        state.Synchronous = synchronous;
        state.Autocheckpoint = autocheckpoint;
        return pragmas.Length == 0 ? null : pragmas;
    }

    /// <summary>After a failed setup the handle's settings are unknown: the next open sends them all again.</summary>
    public void Forget(SqliteConnection conn)
    {
        if (conn.Handle is { } handle) _states.Remove(handle);
    }
}
