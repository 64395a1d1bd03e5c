using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace ShopifyReferral.Data;

/// <summary>SQLite: one writer at a time, so a claim or an upsert is a single statement that can never race.</summary>
public sealed class SqliteDialect : SqlDialect
{
    public override DbConnection CreateConnection(string connectionString) => new SqliteConnection(connectionString);

    public override bool Speaks(DbConnection connection) => connection is SqliteConnection;

    /// <summary>One setting of a connection (its handle), as SqliteSessions sends it.</summary>
    public static string Pragma(string name, object value) => $"PRAGMA {name}={value}; ";

    public override string CreateSchemaVersionTable => """
        CREATE TABLE IF NOT EXISTS schema_version (
            version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)
        """;

    // The migration transaction is BEGIN IMMEDIATE: it takes the write lock at once, which is the lock.
    public override string? MigrationLock => null;

    public override string InsertInbox => $"""
        INSERT INTO webhook_inbox ({InboxInsertColumns})
        VALUES ({InboxValues})
        ON CONFLICT (shop, webhook_id) DO NOTHING
        """;

    public override string ClaimInbox => $"""
        UPDATE webhook_inbox
        SET status = 'processing', lease_owner = @owner, due_at = @lease_until, attempts = attempts + 1
        WHERE id IN (
            SELECT id FROM webhook_inbox
            WHERE status IN ('pending', 'processing') AND due_at <= @now
            ORDER BY due_at, id
            LIMIT @limit)
        RETURNING {InboxColumns}
        """;

    public override string InsertChecks => """
        INSERT INTO referral_checks (referral_id, "rule", outcome, evidence, checked_at)
        SELECT @id, json_extract(value, '$.r'), json_extract(value, '$.o'), json_extract(value, '$.e'), @now FROM json_each(@checks)
        """;

    public override string EnqueueJob => OnConflictEnqueueJob;

    public override string ClaimJobs => $"""
        UPDATE jobs
        SET status = 'running', lease_owner = @owner, due_at = @lease_until, attempts = attempts + 1, updated_at = @now
        WHERE id IN (
            SELECT id FROM jobs
            WHERE status IN ('queued', 'running') AND due_at <= @now AND (@kind IS NULL OR kind = @kind) AND (@subject IS NULL OR subject = @subject)
            ORDER BY due_at, id
            LIMIT @limit)
        RETURNING {JobColumns}
        """;

    public override string UpsertOrder => OnConflictUpsertOrder;

    public override string MarkShopUninstalled => OnConflictMarkShopUninstalled;

    public override string AddToOrderDay { get; } = OnConflictAddToOrderDay;

    public override string UpsertCustomerFacts => OnConflictUpsertCustomerFacts;

    public override string? LockCustomerRollup => null;

    public override int RollupShards => 1;

    public override string CountPageView => OnConflictCountPageView;

    public override string CountShareClick => OnConflictCountShareClick;

    // One writer at a time: NOT EXISTS already saw every committed row.
    public override string SkipDuplicates => "";

    public override string FirstRows(string orderedSelect) => orderedSelect.Trim() + "\nLIMIT @limit";

    public override string InList(string column, string parameter) => $"{column} IN {parameter}";

    // SQLite's LIKE ignores ASCII case already.
    public override string LikeIgnoringCase(string column, string pattern) => $"{column} LIKE {pattern}";

    public override string TablesWithShopColumn =>
        "SELECT m.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND p.name = 'shop'";

    // Extended codes: UNIQUE and PRIMARY KEY only, not the other constraints (NOT NULL, CHECK, FOREIGN KEY).
    public override bool IsUniqueViolation(DbException ex) =>
        ex is SqliteException { SqliteExtendedErrorCode: 2067 or 1555 }; // SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY
}
