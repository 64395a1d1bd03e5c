using System.Data.Common;
using Dapper;
using ShopifyReferral.Events;

namespace ShopifyReferral.Referrals;

/// <summary>A referral's event, in the transaction of its change: its ids, and for a refusal the rule and why in plain words.</summary>
internal static class ReferralEvents
{
    public static async Task RecordAsync(EventOutbox events, DbConnection conn, DbTransaction tx, long referralId, string type, string? rule = null, string? reason = null)
    {
        var r = await conn.QuerySingleAsync<(string Shop, long OrderId, long ReferrerId, long ReferrerCustomerId, long? CustomerId)>("""
            SELECT r.shop, r.order_id, r.referrer_id, f.customer_id, r.friend_customer_id
            FROM referrals r JOIN referrers f ON f.id = r.referrer_id WHERE r.id = @referralId
            """, new { referralId }, tx);
        await RecordAsync(events, conn, tx, (referralId, r.Shop, r.OrderId, r.ReferrerId, r.ReferrerCustomerId, r.CustomerId), type, rule, reason);
    }

    /// <summary>The same, for a caller that has just read the referral and its referrer (the engine): no read again.</summary>
    public static Task RecordAsync(EventOutbox events, DbConnection conn, DbTransaction tx, Referral referral, Referrer referrer, string type, string? rule = null, string? reason = null) =>
        RecordAsync(events, conn, tx, (referral.Id, referral.Shop, referral.OrderId, referral.ReferrerId, referrer.CustomerId, referral.FriendCustomerId), type, rule, reason);

    private static Task RecordAsync(EventOutbox events, DbConnection conn, DbTransaction tx,
        (long Id, string Shop, long OrderId, long ReferrerId, long ReferrerCustomerId, long? CustomerId) r, string type, string? rule, string? reason) =>
        events.RecordAsync(conn, tx, r.Shop, type, new
        {
            ReferralId = r.Id, r.OrderId, r.ReferrerId, r.ReferrerCustomerId, r.CustomerId, Rule = rule,
            Reason = reason ?? (rule is null ? null : EventTypes.Reason(rule)),
        });
}
