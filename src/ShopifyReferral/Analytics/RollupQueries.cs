namespace ShopifyReferral.Analytics;

/// <summary>
/// The report's queries over the rollups (migration 0051, Referrals/AnalyticsRollups.cs; 0055, Storefront/ShareClicks.cs),
/// for ranges of whole UTC days: a day-by-day or week-by-week series reads at most a row per day, group and shard (and
/// per day and channel for the clicks), and the customer figures read one row per customer. Parameters as <see cref="AnalyticsQueries"/> plus @from_day, @to_day and @bucket_days.
/// <see cref="AnalyticsQueries"/> reads the orders themselves: for ranges that don't start on a day, and as the
/// reference the rollups are tested against.
/// </summary>
internal static class RollupQueries
{
    // A customer is counted in a bucket on their first order in it: the order whose previous one is more days back
    // than its offset from the bucket's start (new1 at offset 0 ... new7 at 6). Exact for buckets of up to 7 days;
    // the caller takes a longer bucket's customers from the customer figures.
    public const string Orders = """
        SELECT (day - @from_day) / @bucket_days AS bucket, SUM(orders) AS orders, SUM(referred_orders) AS referred_orders,
               SUM(CASE (day - @from_day) % @bucket_days WHEN 0 THEN new1 WHEN 1 THEN new2 WHEN 2 THEN new3 WHEN 3 THEN new4
                   WHEN 4 THEN new5 WHEN 5 THEN new6 ELSE new7 END) AS customers,
               SUM(revenue_minor) AS revenue, SUM(referred_revenue_minor) AS referred_revenue
        FROM order_days WHERE shop = @shop AND day >= @from_day AND day < @to_day
        GROUP BY (day - @from_day) / @bucket_days
        """;

    /// <summary>
    /// As <see cref="AnalyticsQueries.Customers"/>, from customer_facts: the last order before @to is the stored last
    /// one unless the customer ordered again after the range, and only those look their orders up. One pass over the
    /// customers' index, no join: the new referrers are <see cref="NewReferrers"/>.
    /// </summary>
    public const string Customers = """
        WITH f AS (
            SELECT c.first_at, c.first_referred,
                   CASE WHEN c.last_at < @to THEN c.last_at ELSE (
                       SELECT MAX(o.created_at) FROM orders o
                       WHERE o.shop = @shop AND o.counted = 1 AND o.customer_id = c.customer_id AND o.created_at < @to) END AS last_at
            FROM customer_facts c WHERE c.shop = @shop AND c.first_at < @to
        )
        SELECT CAST(f.first_referred AS BIGINT) AS referred,
               SUM(CASE WHEN f.first_at < @from THEN 1 ELSE 0 END) AS at_start,
               SUM(CASE WHEN f.first_at >= @from THEN 1 ELSE 0 END) AS new_customers,
               SUM(CASE WHEN f.last_at >= @from THEN 1 ELSE 0 END) AS ordered,
               COUNT(*) AS customers,
               SUM((f.last_at - f.first_at) * 1.0 / (@to - @from) + 1) AS lifespan_sum
        FROM f GROUP BY f.first_referred
        """;

    /// <summary>New customers of the range enrolled as referrers before its end, per group: read from the referrers (few).</summary>
    public const string NewReferrers = """
        SELECT CAST(c.first_referred AS BIGINT) AS referred, COUNT(*) AS new_referrers
        FROM referrers x JOIN customer_facts c ON c.shop = x.shop AND c.customer_id = x.customer_id
        WHERE x.shop = @shop AND x.enrolled_at < @to AND c.first_at >= @from AND c.first_at < @to
        GROUP BY c.first_referred
        """;

    /// <summary>The range's orders and revenue per customer group (0, 1; 2 is "no customer" and has no group).</summary>
    public const string GroupOrders = """
        SELECT CAST(grp AS BIGINT) AS referred, SUM(orders) AS orders, SUM(revenue_minor) AS revenue
        FROM order_days WHERE shop = @shop AND day >= @from_day AND day < @to_day AND grp < 2
        GROUP BY grp
        """;

    /// <summary>As <see cref="AnalyticsQueries.Clicks"/>: a count per channel adds up, so any whole-day bucket is exact.</summary>
    public const string Clicks = """
        SELECT (day - @from_day) / @bucket_days AS bucket, channel, SUM(clicks) AS n
        FROM share_click_days WHERE shop = @shop AND day >= @from_day AND day < @to_day
        GROUP BY (day - @from_day) / @bucket_days, channel
        """;

    /// <summary>As <see cref="FunnelQueries.Clicks"/>, for the whole range.</summary>
    public const string FunnelClicks = """
        SELECT channel, SUM(clicks) AS n
        FROM share_click_days WHERE shop = @shop AND day >= @from_day AND day < @to_day
        GROUP BY channel
        """;
}
