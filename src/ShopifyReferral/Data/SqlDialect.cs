using System.Data.Common;

namespace ShopifyReferral.Data;

/// <summary>
/// What SQLite, SQL Server and PostgreSQL spell differently, and nothing else: opening a connection, the
/// migration lock, "insert unless it exists", "claim N rows and return them", upserts, paging, list parameters,
/// case-insensitive matching, the table catalogue and the unique-violation error. Each provider's spelling is one
/// file under Dialects/, side by side; every other statement is plain SQL shared by all three. Statements are string
/// properties; fragments to put inside a statement are methods.
/// </summary>
public abstract class SqlDialect
{
    public static readonly SqlDialect Sqlite = new SqliteDialect();
    public static readonly SqlDialect SqlServer = new SqlServerDialect();
    public static readonly SqlDialect PostgreSql = new PostgreSqlDialect();

    public static SqlDialect For(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => Sqlite,
        DatabaseProvider.SqlServer => SqlServer,
        DatabaseProvider.PostgreSql => PostgreSql,
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, null),
    };

    /// <summary>The dialect of an open connection, for code handed a connection rather than a <see cref="Db"/>.</summary>
    public static SqlDialect Of(DbConnection connection) => connection is SharedConnection shared ? Of(shared.Inner) :
        new[] { Sqlite, SqlServer, PostgreSql }.FirstOrDefault(d => d.Speaks(connection))
        ?? throw new ArgumentException($"No dialect for {connection.GetType().Name}.", nameof(connection));

    public abstract DbConnection CreateConnection(string connectionString);

    /// <summary>True for this provider's connections.</summary>
    public abstract bool Speaks(DbConnection connection);

    public abstract string CreateSchemaVersionTable { get; }

    /// <summary>
    /// Run first inside the migration transaction so instances starting together migrate one at a time; it answers a
    /// status, below 0 when the lock was not taken. Null when the transaction itself serializes them.
    /// </summary>
    public abstract string? MigrationLock { get; }

    /// <summary>One inbox row, or nothing when (shop, webhook_id) is already stored; parameters as <see cref="InboxValues"/>.</summary>
    public abstract string InsertInbox { get; }

    /// <summary>Leases up to @limit due inbox rows to @owner until @lease_until and returns them (<see cref="InboxColumns"/>); two claimers never get the same row.</summary>
    public abstract string ClaimInbox { get; }

    /// <summary>Inserts an order or updates it, unless the stored order_updated_at is newer (a stale delivery).</summary>
    public abstract string UpsertOrder { get; }

    public abstract string MarkShopUninstalled { get; }

    /// <summary>Adds @orders, @referred_orders, @revenue_minor, @referred_revenue_minor, @new1..@new7 to order_days cell (@shop, @day, @grp, @shard), creating it at 0.</summary>
    public abstract string AddToOrderDay { get; }

    /// <summary>Writes customer_facts (@shop, @customer_id): @first_at, @last_at, @first_referred.</summary>
    public abstract string UpsertCustomerFacts { get; }

    /// <summary>
    /// Held until the transaction ends, so two transactions recomputing customer (@shop, @customer_id)'s rollups take
    /// turns and the second sees the first's orders. Null where one writer at a time is the rule (SQLite).
    /// </summary>
    public abstract string? LockCustomerRollup { get; }

    /// <summary>
    /// How many rows one day's counters are spread over: a worker adds to the row of its connection, so workers of
    /// PostgreSQL and SQL Server don't wait on one another's row lock; SQLite has one writer anyway.
    /// </summary>
    public virtual int RollupShards => 16;

    /// <summary>Adds one view of @surface to @shop's counter for @day (page_view_days), creating the row on the day's first view.</summary>
    public abstract string CountPageView { get; }

    /// <summary>Adds one click on @channel to @shop's counter for @day (share_click_days, days since 1970), creating the row on the day's first click.</summary>
    public abstract string CountShareClick { get; }

    /// <summary>
    /// Asks for job (@kind, @subject) of @shop due at @due: a new row, or the existing one woken (see Jobs/JobQueue):
    /// a running job keeps its lease and runs again after, a waiting one keeps the earlier due time, a finished one waits again.
    /// </summary>
    public abstract string EnqueueJob { get; }

    /// <summary>
    /// Writes a judgement's rule checks in one statement: @checks is a JSON array of {"r": rule, "o": outcome,
    /// "e": evidence}, for referral @id at @now. One statement instead of one per rule (five to seven per order).
    /// </summary>
    public abstract string InsertChecks { get; }

    /// <summary>Leases up to @limit due jobs (of @kind and @subject, or any when null) to @owner until @lease_until and returns them; two claimers never get the same job.</summary>
    public abstract string ClaimJobs { get; }

    /// <summary>
    /// Appended to <c>INSERT … SELECT … WHERE NOT EXISTS (…)</c> when the row may be inserted by another instance at the
    /// same moment: a duplicate of any of the table's UNIQUE keys then inserts nothing instead of failing. Any, not one
    /// named: PostgreSQL's <c>ON CONFLICT (key)</c> still raises a violation of another unique index (a reward's code,
    /// derived from its key) when two inserts pass the pre-check together, and that aborts the caller's transaction.
    /// Where a unique violation leaves the transaction usable (SQLite, SQL Server), nothing is added and the caller's
    /// <see cref="IsUniqueViolation"/> catch covers the race.
    /// </summary>
    public abstract string SkipDuplicates { get; }

    /// <summary>The first @limit rows of an ordered SELECT; the caller passes a <c>limit</c> parameter.</summary>
    public abstract string FirstRows(string orderedSelect);

    /// <summary>
    /// "<paramref name="column"/> is one of the list <paramref name="parameter"/>" (named with its @). Dapper spreads a list
    /// into (@p1, @p2, …) for SQLite and SQL Server; Npgsql takes it whole as one array, so pass an array.
    /// </summary>
    public abstract string InList(string column, string parameter);

    /// <summary>"<paramref name="column"/> LIKE <paramref name="pattern"/>" ignoring case (ASCII at least), for searches a merchant types.</summary>
    public abstract string LikeIgnoringCase(string column, string pattern);

    /// <summary>The names of the app's tables that have a <c>shop</c> column.</summary>
    public abstract string TablesWithShopColumn { get; }

    /// <summary>True only for a UNIQUE or primary key violation: "someone else wrote it first".</summary>
    public abstract bool IsUniqueViolation(DbException ex);

    protected const string InboxColumns = "id, shop, topic, webhook_id, event_id, triggered_at, api_version, body, attempts, received_at";

    protected const string InboxInsertColumns = "shop, topic, webhook_id, event_id, triggered_at, api_version, body, received_at, status, due_at";

    protected const string InboxValues = "@shop, @topic, @webhook_id, @event_id, @triggered_at, @api_version, @body, @received_at, 'pending', @received_at";

    protected const string OrderColumns = """
        shop, order_id, name, customer_id, email, financial_status, cancelled, test, currency,
        subtotal_minor, total_minor, discount_codes, order_updated_at, created_at, last_topic, recorded_at,
        phone, shipping_fingerprint, browser_ip, user_agent, discounted_subtotal_minor, email_key, landing_channel
        """;

    protected const string OrderValues = """
        @shop, @order_id, @name, @customer_id, @email, @financial_status, @cancelled, @test, @currency,
        @subtotal_minor, @total_minor, @discount_codes, @order_updated_at, @created_at, @last_topic, @recorded_at,
        @phone, @shipping_fingerprint, @browser_ip, @user_agent, @discounted_subtotal_minor, @email_key, @landing_channel
        """;

    /// <summary>SQLite took its upsert syntax from PostgreSQL, so both run these two word for word.</summary>
    protected const string OnConflictUpsertOrder = $"""
        INSERT INTO orders ({OrderColumns})
        VALUES ({OrderValues})
        ON CONFLICT (shop, order_id) DO UPDATE SET
            name = excluded.name, customer_id = excluded.customer_id, email = excluded.email,
            financial_status = excluded.financial_status, cancelled = excluded.cancelled, test = excluded.test,
            currency = excluded.currency, subtotal_minor = excluded.subtotal_minor, total_minor = excluded.total_minor,
            discount_codes = excluded.discount_codes, order_updated_at = excluded.order_updated_at,
            created_at = excluded.created_at, last_topic = excluded.last_topic, recorded_at = excluded.recorded_at,
            phone = excluded.phone, shipping_fingerprint = excluded.shipping_fingerprint, browser_ip = excluded.browser_ip,
            user_agent = excluded.user_agent, discounted_subtotal_minor = excluded.discounted_subtotal_minor,
            email_key = excluded.email_key, landing_channel = excluded.landing_channel
        WHERE excluded.order_updated_at >= orders.order_updated_at
        """;

    protected const string OrderDayCounters = "orders, referred_orders, revenue_minor, referred_revenue_minor, new1, new2, new3, new4, new5, new6, new7";

    protected const string OrderDayValues = "@orders, @referred_orders, @revenue_minor, @referred_revenue_minor, @new1, @new2, @new3, @new4, @new5, @new6, @new7";

    /// <summary>"c = stored.c + addedc" for each counter.</summary>
    protected static string OrderDayAdd(string stored, string added) => string.Join(", ",
        OrderDayCounters.Split(", ").Select(c => $"{c} = {stored}.{c} + {added}{c}"));

    protected static string OnConflictAddToOrderDay => $"""
        INSERT INTO order_days AS t (shop, day, grp, shard, {OrderDayCounters})
        VALUES (@shop, @day, @grp, @shard, {OrderDayValues})
        ON CONFLICT (shop, day, grp, shard) DO UPDATE SET {OrderDayAdd("t", "excluded.")}
        """;

    protected const string OnConflictUpsertCustomerFacts = """
        INSERT INTO customer_facts (shop, customer_id, first_at, last_at, first_referred)
        VALUES (@shop, @customer_id, @first_at, @last_at, @first_referred)
        ON CONFLICT (shop, customer_id) DO UPDATE SET first_at = excluded.first_at, last_at = excluded.last_at, first_referred = excluded.first_referred
        """;

    protected const string JobColumns = "id, kind, subject, shop, attempts, wakes";

    // What a wish does to a job that exists, in terms of t (the stored row) and @due; shared by all three dialects.
    protected const string WakeJob = """
        wakes = t.wakes + 1, updated_at = @now,
            attempts = CASE WHEN t.status IN ('done', 'failed') THEN 0 ELSE t.attempts END,
            due_at = CASE WHEN t.status = 'running' THEN t.due_at WHEN t.status = 'queued' AND t.due_at < @due THEN t.due_at ELSE @due END,
            status = CASE WHEN t.status = 'running' THEN 'running' ELSE 'queued' END
        """;

    protected const string OnConflictEnqueueJob = $"""
        INSERT INTO jobs AS t (kind, subject, shop, status, due_at, attempts, wakes, created_at, updated_at)
        VALUES (@kind, @subject, @shop, 'queued', @due, 0, 0, @now, @now)
        ON CONFLICT (kind, subject) DO UPDATE SET {WakeJob}
        """;

    protected const string OnConflictCountPageView = """
        INSERT INTO page_view_days (shop, day, surface, views) VALUES (@shop, @day, @surface, 1)
        ON CONFLICT (shop, day, surface) DO UPDATE SET views = page_view_days.views + 1
        """;

    protected const string OnConflictCountShareClick = """
        INSERT INTO share_click_days (shop, day, channel, clicks) VALUES (@shop, @day, @channel, 1)
        ON CONFLICT (shop, day, channel) DO UPDATE SET clicks = share_click_days.clicks + 1
        """;

    protected const string OnConflictMarkShopUninstalled = """
        INSERT INTO shops (shop, status, uninstalled_at, updated_at) VALUES (@shop, 'uninstalled', @now, @now)
        ON CONFLICT (shop) DO UPDATE SET status = 'uninstalled', uninstalled_at = @now, updated_at = @now
        WHERE @triggered IS NULL OR shops.installed_at IS NULL OR shops.installed_at <= @triggered
        """;
}
