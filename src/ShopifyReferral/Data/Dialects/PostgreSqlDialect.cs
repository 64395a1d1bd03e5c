using System.Data.Common;
using Npgsql;

namespace ShopifyReferral.Data;

/// <summary>
/// PostgreSQL: row locks and READ COMMITTED, so several instances write at once. Claims lock the rows they
/// take and skip rows another claimer holds (FOR UPDATE SKIP LOCKED); "insert unless it exists" and upserts are
/// ON CONFLICT, which the unique index makes one atomic step.
/// </summary>
public sealed class PostgreSqlDialect : SqlDialect
{
    public override DbConnection CreateConnection(string connectionString) => new NpgsqlConnection(connectionString);

    public override bool Speaks(DbConnection connection) => connection is NpgsqlConnection;

    public override string CreateSchemaVersionTable => """
        CREATE TABLE IF NOT EXISTS schema_version (
            version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)
        """;

    // Held until the migration transaction ends; taken before CREATE TABLE IF NOT EXISTS, which is not safe
    // against itself running concurrently. The number is arbitrary, fixed for this app. It waits up to 60 s (then
    // the statement fails), like SQL Server's; it has no status of its own, so 0.
    public override string? MigrationLock => """
        SET LOCAL lock_timeout = '60s';
        SELECT 0 FROM pg_advisory_xact_lock(7291042025);
        """;

    public override string InsertInbox => $"""
        INSERT INTO webhook_inbox ({InboxInsertColumns})
        VALUES ({InboxValues})
        ON CONFLICT (shop, webhook_id) DO NOTHING
        """;

    public override string ClaimInbox => $"""
        WITH due AS (
            SELECT id FROM webhook_inbox
            WHERE status IN ('pending', 'processing') AND due_at <= @now
            ORDER BY due_at, id
            LIMIT @limit
            FOR UPDATE SKIP LOCKED)
        UPDATE webhook_inbox w
        SET status = 'processing', lease_owner = @owner, due_at = @lease_until, attempts = w.attempts + 1
        FROM due WHERE w.id = due.id
        RETURNING {string.Join(", ", InboxColumns.Split(", ").Select(c => "w." + c))}
        """;

    public override string InsertChecks => """
        INSERT INTO referral_checks (referral_id, "rule", outcome, evidence, checked_at)
        SELECT @id, c->>'r', c->>'o', c->>'e', @now FROM jsonb_array_elements(CAST(@checks AS jsonb)) AS c
        """;

    public override string EnqueueJob => OnConflictEnqueueJob;

    // @kind and @subject are cast: Npgsql sends a null string untyped, and "untyped IS NULL" cannot be planned.
    public override string ClaimJobs => $"""
        WITH due AS (
            SELECT id FROM jobs
            WHERE status IN ('queued', 'running') AND due_at <= @now AND (CAST(@kind AS TEXT) IS NULL OR kind = @kind)
              AND (CAST(@subject AS TEXT) IS NULL OR subject = @subject)
            ORDER BY due_at, id
            LIMIT @limit
            FOR UPDATE SKIP LOCKED)
        UPDATE jobs j
        SET status = 'running', lease_owner = @owner, due_at = @lease_until, attempts = j.attempts + 1, updated_at = @now
        FROM due WHERE j.id = due.id
        RETURNING {string.Join(", ", JobColumns.Split(", ").Select(c => "j." + c))}
        """;

    public override string UpsertOrder => OnConflictUpsertOrder;

    public override string MarkShopUninstalled => OnConflictMarkShopUninstalled;

    public override string AddToOrderDay { get; } = OnConflictAddToOrderDay;

    public override string UpsertCustomerFacts => OnConflictUpsertCustomerFacts;

    // No row to lock before the customer's first order, so a transaction-scoped advisory lock on the pair.
    public override string? LockCustomerRollup => "SELECT pg_advisory_xact_lock(hashtextextended(@shop || ':' || @customer_id::text, 0))";

    public override string CountPageView => OnConflictCountPageView;

    public override string CountShareClick => OnConflictCountShareClick;

    // A unique violation aborts the whole transaction here, so the race must not raise one: ON CONFLICT waits for the
    // other writer and then inserts nothing.
    public override string SkipDuplicates => "ON CONFLICT DO NOTHING";

    public override string FirstRows(string orderedSelect) => orderedSelect.Trim() + "\nLIMIT @limit";

    public override string InList(string column, string parameter) => $"{column} = ANY({parameter})";

    // LIKE is case-sensitive here.
    public override string LikeIgnoringCase(string column, string pattern) => $"{column} ILIKE {pattern}";

    public override string TablesWithShopColumn => """
        SELECT table_name FROM information_schema.columns
        WHERE column_name = 'shop' AND table_schema = current_schema()
        """;

    public override bool IsUniqueViolation(DbException ex) => ex is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}
