using System.Data.Common;
using Dapper;
using ShopifyReferral.Events;

namespace ShopifyReferral.Rewards;

/// <summary>
/// A reward's event, in the transaction of its change: its ids, kind and face value; the code once issued (the
/// random THANKS-... code, for a flow that sends it); the order that spent it; why it was clawed back or lost.
/// </summary>
internal static class RewardEvents
{
    public static async Task RecordAsync(EventOutbox events, DbConnection conn, DbTransaction tx, long rewardId, string type, string? reason = null)
    {
        var w = await conn.QuerySingleAsync<Row>("""
            SELECT w.shop, w.referrer_id, f.customer_id, w.referral_id, w.kind, w.reward_type, w.value, w.amount_minor, w.currency, w.code,
                   w.status, w.redeemed_order_id
            FROM rewards w JOIN referrers f ON f.id = w.referrer_id WHERE w.id = @rewardId
            """, new { rewardId }, tx);
        await events.RecordAsync(conn, tx, w.Shop, type, new
        {
            RewardId = rewardId, w.ReferrerId, ReferrerCustomerId = w.CustomerId, w.ReferralId, w.Kind, w.RewardType, w.Value, w.AmountMinor, w.Currency,
            Code = w.Status is "owed" ? null : w.Code, OrderId = w.RedeemedOrderId, Reason = reason,
        });
    }

    private sealed record Row
    {
        public string Shop { get; init; } = "";
        public long ReferrerId { get; init; }
        public long CustomerId { get; init; }
        public long? ReferralId { get; init; }
        public string Kind { get; init; } = "";
        public string RewardType { get; init; } = "";
        public string? Value { get; init; }
        public long? AmountMinor { get; init; }
        public string? Currency { get; init; }
        public string? Code { get; init; }
        public string Status { get; init; } = "";
        public long? RedeemedOrderId { get; init; }
    }
}
