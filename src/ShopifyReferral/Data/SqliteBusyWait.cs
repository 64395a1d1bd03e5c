using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace ShopifyReferral.Data;

/// <summary>
/// How a SQLite connection waits for another connection's write lock. SQLite's own handler (PRAGMA busy_timeout)
/// sleeps 1, 2, 5, 10, … up to 100 ms between tries, so a writer that finds the lock taken for 3 ms may sleep 50 or
/// 100 ms longer than it had to: the intake's group commit, which 64 requests wait on, did. This handler tries
/// again about every millisecond until <see cref="SqliteSessions.BusyTimeoutMs"/> has passed, then gives up
/// (SQLITE_BUSY). SQLitePCLRaw does not expose sqlite3_busy_handler, so it is bound here, in the library the
/// provider already loaded (e_sqlite3). https://www.sqlite.org/c3ref/busy_handler.html
/// </summary>
internal static unsafe partial class SqliteBusyWait
{
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMilliseconds(SqliteSessions.BusyTimeoutMs);

    [ThreadStatic] private static long _since;
    private static long _retries;

    /// <summary>How many times a connection of this process has waited here for a lock (a counter for tests).</summary>
    public static long Retries => Interlocked.Read(ref _retries);

    /// <summary>
    /// False when the native function cannot be bound (a SQLite library under another name): the caller then sets
    /// SQLite's own busy_timeout, which waits as long, only in coarser steps.
    /// </summary>
    public static bool TryInstall(SqliteConnection conn)
    {
        try
        {
            return sqlite3_busy_handler(conn.Handle!.DangerousGetHandle(), &OnBusy, IntPtr.Zero) == 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [UnmanagedCallersOnly]
    private static int OnBusy(IntPtr arg, int count)
    {
        // count is 0 on the first call of each lock wait; SQLite calls this on the waiting thread.
        if (count == 0) _since = Stopwatch.GetTimestamp();
        if (Stopwatch.GetElapsedTime(_since) > GiveUpAfter) return 0;
        Interlocked.Increment(ref _retries);
        if (count < 2) Thread.Yield();
        else Thread.Sleep(1);
        return 1;
    }

    [LibraryImport("e_sqlite3")]
    private static partial int sqlite3_busy_handler(IntPtr db, delegate* unmanaged<IntPtr, int, int> handler, IntPtr arg);
}
