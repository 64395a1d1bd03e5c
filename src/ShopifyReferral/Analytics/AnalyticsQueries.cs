namespace ShopifyReferral.Analytics;

/// <summary>
/// The KPI queries. Sums of money are in minor units; AnalyticsStore turns them into amounts. Every query takes @shop, @from, @to (Unix ms, [from, to)) and @bucket (ms): a row's bucket
/// is (t - @from) / @bucket in integer arithmetic, so buckets start at @from on both SQLite and SQL Server.
/// A counted order is neither a test nor cancelled; its revenue is the subtotal after discounts and refunds,
/// before tax and shipping; it is referred when a referral that was not rejected exists for it.
/// </summary>
internal static class AnalyticsQueries
{
    // Money is in integer minor units (Data/Money.cs), so every SUM is an exact integer on every provider. The
    // counted/referred/revenue facts live on the order row (migration 0050, OrderAnalyticsFacts.cs): no join to referrals,
    // and the covering indexes answer each query without touching the table.
    private const string CountedOrders = """
        SELECT o.customer_id, o.created_at, o.revenue_minor AS revenue, o.referred
        FROM orders o
        WHERE o.shop = @shop AND o.counted = 1 AND o.created_at < @to
        """;

    public const string Orders = $"""
        WITH c AS ({CountedOrders})
        SELECT (created_at - @from) / @bucket AS bucket, COUNT(*) AS orders, SUM(referred) AS referred_orders,
               COUNT(DISTINCT customer_id) AS customers, SUM(revenue) AS revenue,
               SUM(CASE WHEN referred = 1 THEN revenue ELSE 0 END) AS referred_revenue
        FROM c WHERE created_at >= @from
        GROUP BY (created_at - @from) / @bucket
        """;

    public const string ReferrersEnrolled = """
        SELECT (enrolled_at - @from) / @bucket AS bucket, COUNT(*) AS n
        FROM referrers WHERE shop = @shop AND enrolled_at >= @from AND enrolled_at < @to
        GROUP BY (enrolled_at - @from) / @bucket
        """;

    public const string ReferrersBefore = "SELECT COUNT(*) FROM referrers WHERE shop = @shop AND enrolled_at < @from";

    public const string Clicks = """
        SELECT (clicked_at - @from) / @bucket AS bucket, channel, COUNT(*) AS n
        FROM share_clicks WHERE shop = @shop AND clicked_at >= @from AND clicked_at < @to
        GROUP BY (clicked_at - @from) / @bucket, channel
        """;

    // Rewards still standing (not clawed back) count at their face value when they have one (amount_minor: fixed
    // amounts and store credit); a percentage or free-shipping reward has no fixed cost and is counted in n only.
    public const string RewardCost = """
        SELECT (issued_at - @from) / @bucket AS bucket, COUNT(*) AS n,
               SUM(COALESCE(amount_minor, 0)) AS cost
        FROM rewards WHERE shop = @shop AND status IN ('issued', 'redeemed') AND issued_at >= @from AND issued_at < @to
        GROUP BY (issued_at - @from) / @bucket
        """;

    /// <summary>
    /// Per group (referred = the customer's first counted order was referred): customers at the start (first order
    /// before @from), new customers (first order in the range), customers who ordered in the range, their orders and
    /// revenue in the range, and the summed lifespan in periods ((last - first order before @to) / (@to - @from) + 1).
    /// </summary>
    public const string Customers = $"""
        WITH c AS ({CountedOrders} AND o.customer_id IS NOT NULL),
        g AS (
            -- One pass per customer, no join back: first_key = created_at * 2 + (0 if referred else 1), so its minimum
            -- is the first order's time and, in its lowest bit, whether that first order was referred.
            SELECT customer_id, MIN(created_at * 2 + 1 - referred) AS first_key, MIN(created_at) AS first_at, MAX(created_at) AS last_at,
                   SUM(CASE WHEN created_at >= @from THEN 1 ELSE 0 END) AS orders,
                   SUM(CASE WHEN created_at >= @from THEN revenue ELSE 0 END) AS revenue
            FROM c GROUP BY customer_id
        )
        SELECT 1 - first_key % 2 AS referred,
               SUM(CASE WHEN first_at < @from THEN 1 ELSE 0 END) AS at_start,
               SUM(CASE WHEN first_at >= @from THEN 1 ELSE 0 END) AS new_customers,
               SUM(CASE WHEN orders > 0 THEN 1 ELSE 0 END) AS ordered,
               SUM(orders) AS orders, SUM(revenue) AS revenue, COUNT(*) AS customers,
               SUM((last_at - first_at) * 1.0 / (@to - @from) + 1) AS lifespan_sum,
               -- New customers enrolled as referrers before the period end (a join, not EXISTS: SQL Server refuses
               -- a subquery inside an aggregate). A referrer row is unique per customer, so no row is counted twice.
               SUM(CASE WHEN first_at >= @from AND x.id IS NOT NULL THEN 1 ELSE 0 END) AS new_referrers
        FROM g LEFT JOIN referrers x ON x.shop = @shop AND x.customer_id = g.customer_id AND x.enrolled_at < @to
        GROUP BY 1 - first_key % 2
        """;

    // The referred orders' index covers the order row's referral facts (migration 0054), so this reads one index range
    // and joins the referrers (at most one row per referrer) for their names.
    public const string TopReferrers = """
        SELECT rr.id AS referrer_id, rr.code, rr.first_name, rr.last_name, rr.email, t.orders, t.revenue
        FROM (
            SELECT referral_referrer_id AS id, COUNT(*) AS orders, SUM(revenue_minor) AS revenue
            FROM orders
            WHERE shop = @shop AND referred = 1 AND counted = 1 AND created_at >= @from AND created_at < @to
            GROUP BY referral_referrer_id
        ) t
        JOIN referrers rr ON rr.id = t.id
        """;
}
