namespace ShopifyReferral.Data;

public enum DatabaseProvider { Sqlite, SqlServer, PostgreSql }

/// <summary>Bound from <c>Database</c>; the connection string comes from <c>ConnectionStrings:Referral</c>.</summary>
public sealed class DatabaseOptions
{
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// SQLite only. FULL fsyncs the WAL on every commit (safe against power loss); NORMAL is safe against a
    /// crashed process but not a crashed machine. The intake commits in groups, so FULL stays affordable.
    /// </summary>
    public string Synchronous { get; set; } = "FULL";

    /// <summary>
    /// SQLite only: every commit after intake (processing, referrals, rewards). Those are idempotent and WAL keeps
    /// commits in order (the intake's next FULL commit syncs them too), so a power loss can only drop the latest
    /// work, which is then redone; NORMAL keeps fsyncs, and the write lock, away from the intake's path.
    /// </summary>
    public string WorkSynchronous { get; set; } = "NORMAL";

    internal const string DefaultSqlite = "Data Source=data/referral.db";
}
