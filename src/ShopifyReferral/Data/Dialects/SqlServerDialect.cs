using System.Data.Common;
using Microsoft.Data.SqlClient;

namespace ShopifyReferral.Data;

/// <summary>SQL Server: row locks, so existence checks hold UPDLOCK+HOLDLOCK and claims skip locked rows (READPAST).</summary>
public sealed class SqlServerDialect : SqlDialect
{
    public override DbConnection CreateConnection(string connectionString) => new SqlConnection(connectionString);

    public override bool Speaks(DbConnection connection) => connection is SqlConnection;

    public override string CreateSchemaVersionTable => """
        IF OBJECT_ID('schema_version') IS NULL
            CREATE TABLE schema_version (version INT NOT NULL PRIMARY KEY, name NVARCHAR(200) NOT NULL, applied_at BIGINT NOT NULL)
        """;

    // Held until the migration transaction ends; sp_getapplock answers in its return status, not with an error.
    public override string? MigrationLock => """
        DECLARE @status INT;
        EXEC @status = sp_getapplock @Resource = 'shopifyreferral-migrations', @LockMode = 'Exclusive', @LockTimeout = 60000;
        SELECT @status;
        """;

    // The UNIQUE key (shop, webhook_id) refuses a duplicate and the CATCH turns that into "0 rows". No existence
    // check under HOLDLOCK: a group commit keeps its locks until it commits, and the key-range locks of two
    // instances' groups would deadlock on the gaps between their rows. A refused insert leaves the transaction
    // committable (SqlClient's XACT_ABORT is OFF), so the rest of the group still commits.
    public override string InsertInbox => $"""
        BEGIN TRY
            INSERT INTO webhook_inbox ({InboxInsertColumns})
            VALUES ({InboxValues});
        END TRY
        BEGIN CATCH
            IF ERROR_NUMBER() NOT IN (2601, 2627) THROW;
        END CATCH
        """;

    // READPAST lets several workers claim different rows without waiting on each other.
    public override string ClaimInbox => $"""
        WITH due AS (
            SELECT TOP (@limit) * FROM webhook_inbox WITH (ROWLOCK, UPDLOCK, READPAST)
            WHERE status IN ('pending', 'processing') AND due_at <= @now
            ORDER BY due_at, id)
        UPDATE due SET status = 'processing', lease_owner = @owner, due_at = @lease_until, attempts = attempts + 1
        OUTPUT {string.Join(", ", InboxColumns.Split(", ").Select(c => "inserted." + c))}
        """;

    public override string InsertChecks => """
        INSERT INTO referral_checks (referral_id, [rule], outcome, evidence, checked_at)
        SELECT @id, c.r, c.o, c.e, @now FROM OPENJSON(@checks) WITH (r NVARCHAR(64) '$.r', o NVARCHAR(16) '$.o', e NVARCHAR(MAX) '$.e') AS c
        """;

    public override string EnqueueJob => $"""
        MERGE jobs WITH (HOLDLOCK) AS t
        USING (SELECT @kind AS kind, @subject AS subject) AS s ON t.kind = s.kind AND t.subject = s.subject
        WHEN MATCHED THEN UPDATE SET {WakeJob}
        WHEN NOT MATCHED THEN INSERT (kind, subject, shop, status, due_at, attempts, wakes, created_at, updated_at)
            VALUES (@kind, @subject, @shop, 'queued', @due, 0, 0, @now, @now);
        """;

    public override string ClaimJobs => $"""
        WITH due AS (
            SELECT TOP (@limit) * FROM jobs WITH (ROWLOCK, UPDLOCK, READPAST)
            WHERE status IN ('queued', 'running') AND due_at <= @now AND (@kind IS NULL OR kind = @kind) AND (@subject IS NULL OR subject = @subject)
            ORDER BY due_at, id)
        UPDATE due SET status = 'running', lease_owner = @owner, due_at = @lease_until, attempts = attempts + 1, updated_at = @now
        OUTPUT {string.Join(", ", JobColumns.Split(", ").Select(c => "inserted." + c))}
        """;

    public override string UpsertOrder => """
        MERGE orders WITH (HOLDLOCK) AS t
        USING (SELECT @shop AS shop, @order_id AS order_id) AS s ON t.shop = s.shop AND t.order_id = s.order_id
        WHEN MATCHED AND @order_updated_at >= t.order_updated_at THEN UPDATE SET
            name = @name, customer_id = @customer_id, email = @email, financial_status = @financial_status,
            cancelled = @cancelled, test = @test, currency = @currency, subtotal_minor = @subtotal_minor,
            total_minor = @total_minor, discount_codes = @discount_codes, order_updated_at = @order_updated_at,
            created_at = @created_at, last_topic = @last_topic, recorded_at = @recorded_at, phone = @phone,
            shipping_fingerprint = @shipping_fingerprint, browser_ip = @browser_ip, user_agent = @user_agent,
            discounted_subtotal_minor = @discounted_subtotal_minor, email_key = @email_key, landing_channel = @landing_channel
        WHEN NOT MATCHED THEN INSERT (shop, order_id, name, customer_id, email, financial_status, cancelled, test, currency,
                                      subtotal_minor, total_minor, discount_codes, order_updated_at, created_at, last_topic, recorded_at,
                            phone, shipping_fingerprint, browser_ip, user_agent, discounted_subtotal_minor, email_key, landing_channel)
            VALUES (@shop, @order_id, @name, @customer_id, @email, @financial_status, @cancelled, @test, @currency,
                    @subtotal_minor, @total_minor, @discount_codes, @order_updated_at, @created_at, @last_topic, @recorded_at,
                @phone, @shipping_fingerprint, @browser_ip, @user_agent, @discounted_subtotal_minor, @email_key, @landing_channel);
        """;

    public override string CountPageView => """
        MERGE page_view_days WITH (HOLDLOCK) AS t
        USING (SELECT @shop AS shop, @day AS day, @surface AS surface) AS s ON t.shop = s.shop AND t.day = s.day AND t.surface = s.surface
        WHEN MATCHED THEN UPDATE SET views = t.views + 1
        WHEN NOT MATCHED THEN INSERT (shop, day, surface, views) VALUES (@shop, @day, @surface, 1);
        """;

    public override string CountShareClick => """
        MERGE share_click_days WITH (HOLDLOCK) AS t
        USING (SELECT @shop AS shop, @day AS day, @channel AS channel) AS s ON t.shop = s.shop AND t.day = s.day AND t.channel = s.channel
        WHEN MATCHED THEN UPDATE SET clicks = t.clicks + 1
        WHEN NOT MATCHED THEN INSERT (shop, day, channel, clicks) VALUES (@shop, @day, @channel, 1);
        """;

    public override string MarkShopUninstalled => """
        MERGE shops WITH (HOLDLOCK) AS t USING (SELECT @shop AS shop) AS s ON t.shop = s.shop
        WHEN MATCHED AND (@triggered IS NULL OR t.installed_at IS NULL OR t.installed_at <= @triggered)
            THEN UPDATE SET status = 'uninstalled', uninstalled_at = @now, updated_at = @now
        WHEN NOT MATCHED THEN INSERT (shop, status, uninstalled_at, updated_at) VALUES (@shop, 'uninstalled', @now, @now);
        """;

    public override string AddToOrderDay { get; } = $"""
        MERGE order_days WITH (HOLDLOCK) AS t
        USING (SELECT @shop AS shop, @day AS day, @grp AS grp, @shard AS shard) AS s
            ON t.shop = s.shop AND t.day = s.day AND t.grp = s.grp AND t.shard = s.shard
        WHEN MATCHED THEN UPDATE SET {OrderDayAdd("t", "@")}
        WHEN NOT MATCHED THEN INSERT (shop, day, grp, shard, {OrderDayCounters}) VALUES (@shop, @day, @grp, @shard, {OrderDayValues});
        """;

    public override string UpsertCustomerFacts => """
        MERGE customer_facts WITH (HOLDLOCK) AS t
        USING (SELECT @shop AS shop, @customer_id AS customer_id) AS s ON t.shop = s.shop AND t.customer_id = s.customer_id
        WHEN MATCHED THEN UPDATE SET first_at = @first_at, last_at = @last_at, first_referred = @first_referred
        WHEN NOT MATCHED THEN INSERT (shop, customer_id, first_at, last_at, first_referred)
            VALUES (@shop, @customer_id, @first_at, @last_at, @first_referred);
        """;

    // A key-range lock held to the end of the transaction, whether or not the customer has a row yet.
    public override string? LockCustomerRollup =>
        "SELECT COUNT(*) FROM customer_facts WITH (UPDLOCK, HOLDLOCK) WHERE shop = @shop AND customer_id = @customer_id";

    // A unique violation fails only its statement; the caller catches it (IsUniqueViolation).
    public override string SkipDuplicates => "";

    public override string FirstRows(string orderedSelect)
    {
        var sql = orderedSelect.Trim();
        if (!sql.StartsWith("SELECT ", StringComparison.OrdinalIgnoreCase)) throw new ArgumentException("Expected a SELECT.", nameof(orderedSelect));
        return "SELECT TOP (@limit) " + sql["SELECT ".Length..];
    }

    public override string InList(string column, string parameter) => $"{column} IN {parameter}";

    // The default collation is case-insensitive.
    public override string LikeIgnoringCase(string column, string pattern) => $"{column} LIKE {pattern}";

    public override string TablesWithShopColumn => "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.COLUMNS WHERE COLUMN_NAME = 'shop'";

    public override bool IsUniqueViolation(DbException ex) => ex is SqlException { Number: 2627 or 2601 };
}
