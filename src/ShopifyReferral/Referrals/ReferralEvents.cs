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
        await events.RecordAsync(conn, tx, r.Shop, type, new
        {
            ReferralId = referralId, r.OrderId, r.ReferrerId, r.ReferrerCustomerId, r.CustomerId, Rule = rule,
            Reason = reason ?? (rule is null ? null : EventTypes.Reason(rule)),
        });
    }
}
