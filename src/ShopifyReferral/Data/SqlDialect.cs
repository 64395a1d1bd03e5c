namespace ShopifyReferral.Data;

/// <summary>
/// The handful of statements SQLite and SQL Server spell differently: "insert unless it exists",
/// "claim N rows and return them", and "upsert". Everything else is plain SQL shared by both.
/// </summary>
public sealed record SqlDialect(
    string CreateSchemaVersionTable,
    string InsertInbox,
    string ClaimInbox,
    string UpsertOrder,
    string MarkShopUninstalled)
{
    private const string InboxColumns = "id, shop, topic, webhook_id, event_id, triggered_at, api_version, body, attempts, received_at";
    private const string InboxValues = "@shop, @topic, @webhook_id, @event_id, @triggered_at, @api_version, @body, @received_at, 'pending', @received_at";

    public static readonly SqlDialect Sqlite = new(
        CreateSchemaVersionTable: """
            CREATE TABLE IF NOT EXISTS schema_version (
                version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)
            """,
        InsertInbox: $"""
            INSERT INTO webhook_inbox (shop, topic, webhook_id, event_id, triggered_at, api_version, body, received_at, status, due_at)
            VALUES ({InboxValues})
            ON CONFLICT (shop, webhook_id) DO NOTHING
            """,
        ClaimInbox: $"""
            UPDATE webhook_inbox
            SET status = 'processing', lease_owner = @owner, due_at = @lease_until, attempts = attempts + 1
            WHERE id IN (
                SELECT id FROM webhook_inbox
                WHERE status IN ('pending', 'processing') AND due_at <= @now
                ORDER BY due_at, id
                LIMIT @limit)
            RETURNING {InboxColumns}
            """,
        UpsertOrder: """
            INSERT INTO orders (shop, order_id, name, customer_id, email, financial_status, cancelled, test, currency,
                                subtotal_minor, total_minor, discount_codes, order_updated_at, created_at, last_topic, recorded_at,
                                phone, shipping_fingerprint, browser_ip, user_agent, discounted_subtotal_minor, email_key)
            VALUES (@shop, @order_id, @name, @customer_id, @email, @financial_status, @cancelled, @test, @currency,
                    @subtotal_minor, @total_minor, @discount_codes, @order_updated_at, @created_at, @last_topic, @recorded_at,
                    @phone, @shipping_fingerprint, @browser_ip, @user_agent, @discounted_subtotal_minor, @email_key)
            ON CONFLICT (shop, order_id) DO UPDATE SET
                name = excluded.name, customer_id = excluded.customer_id, email = excluded.email,
                financial_status = excluded.financial_status, cancelled = excluded.cancelled, test = excluded.test,
                currency = excluded.currency, subtotal_minor = excluded.subtotal_minor, total_minor = excluded.total_minor,
                discount_codes = excluded.discount_codes, order_updated_at = excluded.order_updated_at,
                created_at = excluded.created_at, last_topic = excluded.last_topic, recorded_at = excluded.recorded_at,
                phone = excluded.phone, shipping_fingerprint = excluded.shipping_fingerprint, browser_ip = excluded.browser_ip,
                user_agent = excluded.user_agent, discounted_subtotal_minor = excluded.discounted_subtotal_minor,
                email_key = excluded.email_key
            WHERE excluded.order_updated_at >= orders.order_updated_at
            """,
        MarkShopUninstalled: """
            INSERT INTO shops (shop, status, uninstalled_at, updated_at) VALUES (@shop, 'uninstalled', @now, @now)
            ON CONFLICT (shop) DO UPDATE SET status = 'uninstalled', uninstalled_at = @now, updated_at = @now
            WHERE @triggered IS NULL OR shops.installed_at IS NULL OR shops.installed_at <= @triggered
            """);

    public static readonly SqlDialect SqlServer = new(
        CreateSchemaVersionTable: """
            IF OBJECT_ID('schema_version') IS NULL
                CREATE TABLE schema_version (version INT NOT NULL PRIMARY KEY, name NVARCHAR(200) NOT NULL, applied_at BIGINT NOT NULL)
            """,
        // The UNIQUE key (shop, webhook_id) refuses a duplicate and the CATCH turns that into "0 rows". No existence
        // check under HOLDLOCK: a group commit keeps its locks until it commits, and the key-range locks of two
        // instances' groups would deadlock on the gaps between their rows. A refused insert leaves the transaction
        // committable (SqlClient's XACT_ABORT is OFF), so the rest of the group still commits.
        InsertInbox: $"""
            BEGIN TRY
                INSERT INTO webhook_inbox (shop, topic, webhook_id, event_id, triggered_at, api_version, body, received_at, status, due_at)
                VALUES ({InboxValues});
            END TRY
            BEGIN CATCH
                IF ERROR_NUMBER() NOT IN (2601, 2627) THROW;
            END CATCH
            """,
        // READPAST lets several workers claim different rows without waiting on each other.
        ClaimInbox: $"""
            WITH due AS (
                SELECT TOP (@limit) * FROM webhook_inbox WITH (ROWLOCK, UPDLOCK, READPAST)
                WHERE status IN ('pending', 'processing') AND due_at <= @now
                ORDER BY due_at, id)
            UPDATE due SET status = 'processing', lease_owner = @owner, due_at = @lease_until, attempts = attempts + 1
            OUTPUT {string.Join(", ", InboxColumns.Split(", ").Select(c => "inserted." + c))}
            """,
        UpsertOrder: """
            MERGE orders WITH (HOLDLOCK) AS t
            USING (SELECT @shop AS shop, @order_id AS order_id) AS s ON t.shop = s.shop AND t.order_id = s.order_id
            WHEN MATCHED AND @order_updated_at >= t.order_updated_at THEN UPDATE SET
                name = @name, customer_id = @customer_id, email = @email, financial_status = @financial_status,
                cancelled = @cancelled, test = @test, currency = @currency, subtotal_minor = @subtotal_minor,
                total_minor = @total_minor, discount_codes = @discount_codes, order_updated_at = @order_updated_at,
                created_at = @created_at, last_topic = @last_topic, recorded_at = @recorded_at, phone = @phone,
                shipping_fingerprint = @shipping_fingerprint, browser_ip = @browser_ip, user_agent = @user_agent,
                discounted_subtotal_minor = @discounted_subtotal_minor, email_key = @email_key
            WHEN NOT MATCHED THEN INSERT (shop, order_id, name, customer_id, email, financial_status, cancelled, test, currency,
                                          subtotal_minor, total_minor, discount_codes, order_updated_at, created_at, last_topic, recorded_at,
                                phone, shipping_fingerprint, browser_ip, user_agent, discounted_subtotal_minor, email_key)
                VALUES (@shop, @order_id, @name, @customer_id, @email, @financial_status, @cancelled, @test, @currency,
                        @subtotal_minor, @total_minor, @discount_codes, @order_updated_at, @created_at, @last_topic, @recorded_at,
                    @phone, @shipping_fingerprint, @browser_ip, @user_agent, @discounted_subtotal_minor, @email_key);
            """,
        MarkShopUninstalled: """
            MERGE shops WITH (HOLDLOCK) AS t USING (SELECT @shop AS shop) AS s ON t.shop = s.shop
            WHEN MATCHED AND (@triggered IS NULL OR t.installed_at IS NULL OR t.installed_at <= @triggered)
                THEN UPDATE SET status = 'uninstalled', uninstalled_at = @now, updated_at = @now
            WHEN NOT MATCHED THEN INSERT (shop, status, uninstalled_at, updated_at) VALUES (@shop, 'uninstalled', @now, @now);
            """);
}
