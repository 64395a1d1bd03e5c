using System.Data.Common;
using Dapper;

namespace ShopifyReferral.Referrals;

public static partial class AnalyticsRollups
{
    /// <summary>
    /// Recomputes the rollups and every order's rolled_* from the orders, as migration 0051 first filled them (the
    /// same statements), and the share clicks' day counters from the clicks, as 0055 did: for rows written outside
    /// the app. Part of `analytics rebuild`.
    /// </summary>
    public static async Task RebuildAsync(DbConnection conn, DbTransaction? tx, CancellationToken ct = default)
    {
        await conn.ExecuteAsync(new CommandDefinition(ClearDays, transaction: tx, cancellationToken: ct, commandTimeout: 0));
        await conn.ExecuteAsync(new CommandDefinition(ClearFacts, transaction: tx, cancellationToken: ct, commandTimeout: 0));
        await conn.ExecuteAsync(new CommandDefinition(ClearRolled, transaction: tx, cancellationToken: ct, commandTimeout: 0));
        await conn.ExecuteAsync(new CommandDefinition(FillFacts, transaction: tx, cancellationToken: ct, commandTimeout: 0));
        await conn.ExecuteAsync(new CommandDefinition(FillRolled, transaction: tx, cancellationToken: ct, commandTimeout: 0));
        await conn.ExecuteAsync(new CommandDefinition(FillDays, transaction: tx, cancellationToken: ct, commandTimeout: 0));
        await conn.ExecuteAsync(new CommandDefinition(ClearClickDays, transaction: tx, cancellationToken: ct, commandTimeout: 0));
        await conn.ExecuteAsync(new CommandDefinition(FillClickDays, transaction: tx, cancellationToken: ct, commandTimeout: 0));
    }

    private const string ClearDays = "DELETE FROM order_days";

    private const string ClearFacts = "DELETE FROM customer_facts";

    private const string ClearRolled = """
        UPDATE orders SET rolled_day = NULL, rolled_group = 0, rolled_new = 0, rolled_referred = 0, rolled_revenue_minor = 0,
            rolled_customer_id = NULL
        WHERE rolled_day IS NOT NULL OR rolled_customer_id IS NOT NULL
        """;

    private const string FillFacts = """
        INSERT INTO customer_facts (shop, customer_id, first_at, last_at, first_referred)
        SELECT shop, customer_id, MIN(created_at), MAX(created_at), 1 - MIN(created_at * 2 + 1 - CAST(referred AS INT)) % 2
        FROM orders WHERE counted = 1 AND customer_id IS NOT NULL GROUP BY shop, customer_id
        """;

    private const string FillRolled = """
        UPDATE orders SET
            rolled_day = created_at / 86400000,
            rolled_group = COALESCE((SELECT f.first_referred FROM customer_facts f WHERE f.shop = orders.shop AND f.customer_id = orders.customer_id), 2),
            rolled_new = CASE WHEN customer_id IS NULL THEN 0 ELSE COALESCE((
                SELECT CASE WHEN orders.created_at / 86400000 - MAX(p.created_at) / 86400000 >= 7 THEN 7 ELSE orders.created_at / 86400000 - MAX(p.created_at) / 86400000 END
                FROM orders p WHERE p.shop = orders.shop AND p.customer_id = orders.customer_id AND p.counted = 1
                  AND (p.created_at < orders.created_at OR (p.created_at = orders.created_at AND p.order_id < orders.order_id))), 7) END,
            rolled_referred = CAST(referred AS INT), rolled_revenue_minor = revenue_minor, rolled_customer_id = customer_id
        WHERE counted = 1
        """;

    private const string FillDays = """
        INSERT INTO order_days (shop, day, grp, shard, orders, referred_orders, revenue_minor, referred_revenue_minor, new1, new2, new3, new4, new5, new6, new7)
        SELECT shop, rolled_day, rolled_group, 0, COUNT(*), SUM(rolled_referred), SUM(rolled_revenue_minor),
               SUM(CASE WHEN rolled_referred = 1 THEN rolled_revenue_minor ELSE 0 END),
               SUM(CASE WHEN rolled_new >= 1 THEN 1 ELSE 0 END), SUM(CASE WHEN rolled_new >= 2 THEN 1 ELSE 0 END),
               SUM(CASE WHEN rolled_new >= 3 THEN 1 ELSE 0 END), SUM(CASE WHEN rolled_new >= 4 THEN 1 ELSE 0 END),
               SUM(CASE WHEN rolled_new >= 5 THEN 1 ELSE 0 END), SUM(CASE WHEN rolled_new >= 6 THEN 1 ELSE 0 END),
               SUM(CASE WHEN rolled_new >= 7 THEN 1 ELSE 0 END)
        FROM orders WHERE rolled_day IS NOT NULL GROUP BY shop, rolled_day, rolled_group
        """;

    private const string ClearClickDays = "DELETE FROM share_click_days";

    private const string FillClickDays = """
        INSERT INTO share_click_days (shop, day, channel, clicks)
        SELECT shop, clicked_at / 86400000, channel, COUNT(*) FROM share_clicks GROUP BY shop, clicked_at / 86400000, channel
        """;
}
