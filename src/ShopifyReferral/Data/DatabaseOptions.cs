namespace ShopifyReferral.Data;

public enum DatabaseProvider { Sqlite, SqlServer }

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

    internal const string DefaultSqlite = "Data Source=data/referral.db";
}
