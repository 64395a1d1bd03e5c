using Dapper;
using ShopifyReferral.Data;
using ShopifyReferral.Shopify;

namespace ShopifyReferral.Referrals;

public sealed record Check(string Rule, string Outcome, string Evidence)
{
    public static Check Pass(string rule, string evidence) => new(rule, "pass", evidence);
}

/// <summary>
/// Eligibility and fraud rules for a paid referred order. Each returns its decision with evidence in words a
/// merchant can read. Shopify errors propagate: the inbox retries the delivery rather than judging on a guess.
/// </summary>
public sealed class FraudRules(Db db, IShopifyAdmin shopify)
{
    public async Task<IReadOnlyList<Check>> EvaluateAsync(OrderFacts order, Referrer referrer, ProgramSettings program, long referralId, CancellationToken ct)
    {
        var checks = new List<Check>
        {
            order.Test ? new("test_order", "reject", "This was a test order; test orders never earn rewards.") : Check.Pass("test_order", "A real order."),
            referrer.Blocked
                ? new("blocked_referrer", "reject", $"The referrer is blocked{(referrer.BlockedReason is null ? "" : ": " + referrer.BlockedReason)}.")
                : Check.Pass("blocked_referrer", "The referrer is in good standing."),
            order.Subtotal >= program.MinimumOrderSubtotal
                ? Check.Pass("minimum", $"Subtotal {order.Subtotal:0.00} {order.Currency} meets the minimum of {program.MinimumOrderSubtotal:0.00}.")
                : new("minimum", "reject", $"Subtotal {order.Subtotal:0.00} {order.Currency} is under the program's minimum of {program.MinimumOrderSubtotal:0.00}."),
        };
        await using var conn = await db.OpenAsync(ct);
        // The referrer's own orders: under their account, or as a guest with their mailbox. One branch per index
        // (a single OR made the planners read every order of the shop); an order matching both comes twice, which
        // the checks below, all "any", do not mind.
        var own = (await conn.QueryAsync<OrderFacts>(OrderFacts.Select + " WHERE o.shop = @shop AND o.customer_id = @cid AND o.order_id <> @oid"
            + " UNION ALL " + OrderFacts.Select + " WHERE o.shop = @shop AND o.email_key = @key AND o.order_id <> @oid",
            new { shop = order.Shop, cid = referrer.CustomerId, oid = order.OrderId, key = Identity.Email(referrer.Email) })).AsList();
        checks.Add(SelfReferral(order, referrer, own, program.Fraud.SelfReferral));
        if (program.NewCustomersOnly) checks.Add(await FriendIsNewAsync(conn, order, ct));
        checks.Add(await VelocityAsync(conn, order, referrer, referralId, program.Fraud));
        checks.Add(await CapAsync(conn, order, referrer, program, referralId));
        // Only a program with a value cap is judged by it (no "no cap" row on every referral of the others).
        if (program.YearlyValueCapPerReferrer is not null) checks.Add(await ValueCap.CheckAsync(conn, order, referrer, program, referralId));
        return checks;
    }

    private static Check SelfReferral(OrderFacts order, Referrer referrer, List<OrderFacts> own, ReviewAction action)
    {
        var outcome = action == ReviewAction.Reject ? "reject" : "review";
        if (order.CustomerId == referrer.CustomerId)
            return new("self_referral", outcome, "The order was placed by the referrer's own customer account.");
        var email = Identity.Email(order.Email);
        if (email is not null && (email == Identity.Email(referrer.Email) || own.Any(o => Identity.Email(o.Email) == email)))
            return new("self_referral", outcome, $"The order email {order.Email} is the referrer's own address ({referrer.Email}) written differently.");
        if (order.Phone is not null && own.Any(o => o.Phone == order.Phone))
            return new("self_referral", outcome, "The order's phone number matches one on the referrer's own orders.");
        if (order.ShippingFingerprint is not null && own.Any(o => o.ShippingFingerprint == order.ShippingFingerprint))
            return new("self_referral", outcome, "The order ships to an address the referrer's own orders ship to.");
        if (order.BrowserIp is not null && own.Any(o => o.BrowserIp == order.BrowserIp && o.UserAgent == order.UserAgent))
            return new("self_referral", outcome, $"The order came from the same IP address ({order.BrowserIp}) and browser as the referrer's own orders.");
        return Check.Pass("self_referral", "Customer, email, phone, address and device all differ from the referrer's.");
    }

    private async Task<Check> FriendIsNewAsync(System.Data.Common.DbConnection conn, OrderFacts order, CancellationToken ct)
    {
        var email = order.EmailKey ?? Identity.Email(order.Email);
        // One branch per index, as for the referrer's own orders; a null customer or email matches nothing.
        var earlier = await conn.ExecuteScalarAsync<string?>("""
            SELECT MIN(name) FROM (
                SELECT name FROM orders WHERE shop = @shop AND customer_id = @cid AND order_id <> @oid AND created_at < @created AND test = 0
                UNION ALL
                SELECT name FROM orders WHERE shop = @shop AND email_key = @email AND order_id <> @oid AND created_at < @created AND test = 0
            ) earlier
            """, new { shop = order.Shop, oid = order.OrderId, created = order.CreatedAt ?? long.MaxValue, cid = order.CustomerId, email });
        if (earlier is not null) return new("friend_not_new", "reject", $"The friend had already ordered before ({earlier}); the program rewards new customers only.");
        if (order.CustomerId is { } id)
        {
            // Order payloads no longer carry orders_count; the store knows orders from before the app was installed.
            // Read ahead of a batch's transaction when the order came in one (FriendOrderCounts).
            var count = await FriendOrderCounts.GetAsync(shopify, order.Shop, id, ct);
            if (count > 1) return new("friend_not_new", "reject", $"Shopify counts {count} orders for this customer; this is not their first.");
        }
        return Check.Pass("friend_not_new", "This is the friend's first order.");
    }

    private async Task<Check> VelocityAsync(System.Data.Common.DbConnection conn, OrderFacts order, Referrer referrer, long referralId, FraudThresholds rules)
    {
        if (order.BrowserIp is null) return Check.Pass("velocity", "No IP address on the order.");
        var since = (order.CreatedAt ?? order.OrderUpdatedAt) - (long)TimeSpan.FromDays(1).TotalMilliseconds;
        var limit = rules.MaxFriendsPerIpPerDay;
        // From the orders of this IP within the day (ix_orders_browser_ip) to their referrals by key: the cost follows
        // that IP's orders of the day, not how many referrals the referrer has had. A referral's shop is its referrer's.
        // Only up to limit + 1 earlier friends are read: past that the verdict cannot change, so a busy shared address
        // (a carrier's NAT on Black Friday) costs a few rows per order instead of every order it sent that day.
        var earlier = (await conn.QueryAsync<string>(db.FirstRows("""
            SELECT friend FROM (
                SELECT DISTINCT LOWER(COALESCE(r.friend_email, o.email)) AS friend FROM orders o
                JOIN referrals r ON r.shop = o.shop AND r.order_id = o.order_id
                WHERE o.shop = @shop AND o.browser_ip = @ip AND o.created_at >= @since AND r.referrer_id = @rid AND r.id <> @referralId
                  AND COALESCE(r.friend_email, o.email) IS NOT NULL
            ) friends
            """), new { shop = referrer.Shop, rid = referrer.Id, referralId, ip = order.BrowserIp, since, limit = limit + 1 })).Count();
        var friends = earlier > limit ? $"At least {earlier + 1} friends" : $"{earlier + 1} friends";
        return earlier + 1 > limit
            ? new("velocity", rules.Velocity == ReviewAction.Reject ? "reject" : "review",
                $"{friends} of this referrer ordered from IP {order.BrowserIp} within a day (limit {limit}).")
            : Check.Pass("velocity", $"{earlier + 1} friend(s) of this referrer from this IP within a day.");
    }

    private static async Task<Check> CapAsync(System.Data.Common.DbConnection conn, OrderFacts order, Referrer referrer, ProgramSettings program, long referralId)
    {
        if (program.YearlyCapPerReferrer is not { } cap) return Check.Pass("cap", "The program has no yearly cap.");
        var year = DateTimeOffset.FromUnixTimeMilliseconds(order.CreatedAt ?? order.OrderUpdatedAt).Year;
        var start = new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var end = new DateTimeOffset(year + 1, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        // A range of ix_referrals_referrer (referrer, status, paid_at) per counted status: the year's counted referrals
        // only, which the cap itself keeps small, not every referral the referrer ever had.
        var counted = await conn.ExecuteScalarAsync<long>("""
            SELECT COUNT(*) FROM referrals
            WHERE referrer_id = @rid AND id <> @referralId AND status IN ('pending', 'review', 'approved', 'rewarded')
              AND paid_at >= @start AND paid_at < @end
            """, new { rid = referrer.Id, referralId, start, end });
        return counted >= cap
            ? new("cap", "reject", $"The referrer already has {counted} rewarded or pending referrals in {year}; the yearly cap is {cap}.")
            : Check.Pass("cap", $"{counted} of {cap} referrals used in {year}.");
    }
}
