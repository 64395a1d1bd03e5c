using Dapper;
using ShopifyReferral.Data;

namespace ShopifyReferral.Rewards;

/// <summary>
/// The point of effect of issuing one reward: right before its Shopify call, in one short transaction, the issuer
/// takes the reward with a conditional UPDATE whose row count alone decides whether it may call Shopify. A claim
/// covers a batch, and a slow issuer's lease can run out while another instance claims the same rows; what either
/// read when it claimed is stale by now, so nothing from the claim is trusted here. Taking it renews the lease for
/// this one call and, for store credit and gift cards, commits the in-flight marker in the same write. The same UPDATE re-checks
/// the merchant's decisions: a referral rejected or voided, or a referrer blocked, since the reward was owed ends
/// the reward as cancelled with the reason instead.
/// </summary>
internal static class IssueGate
{
    public const string InFlight = "store credit in flight";

    /// <summary>
    /// A gift card attempt that may have landed. Unlike store credit it does not stop a retry: the card's code is ours
    /// and unique, so the retry looks it up first (and a create meets TAKEN), never making a second card.
    /// </summary>
    public const string GiftCardInFlight = "gift card in flight";

    public enum Verdict { Go, Lost, OutcomeUnknown, Cancelled }

    public static async Task<Verdict> TakeAsync(Db db, long id, string owner, DateTimeOffset now, TimeSpan lease, CancellationToken ct)
    {
        // The marker must survive a power loss: without it a retry could credit twice (SQLite: a durable commit).
        await using var conn = await db.OpenAsync(SqliteUse.Durable, ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var args = new { id, owner, inFlight = InFlight, giftInFlight = GiftCardInFlight, until = (now + lease).ToUnixTimeMilliseconds() };
        var taken = await conn.ExecuteAsync("""
            UPDATE rewards SET due_at = @until,
                last_error = CASE WHEN reward_type = 'store_credit' THEN @inFlight WHEN reward_type = 'gift_card' THEN @giftInFlight ELSE last_error END
            WHERE id = @id AND lease_owner = @owner AND status = 'owed'
              AND (reward_type <> 'store_credit' OR last_error IS NULL OR last_error <> @inFlight)
              AND NOT EXISTS (SELECT 1 FROM referrers f WHERE f.id = rewards.referrer_id AND f.blocked <> 0)
              AND (kind <> 'referral' OR NOT EXISTS (
                  SELECT 1 FROM referrals r WHERE r.id = rewards.referral_id AND r.status IN ('rejected', 'voided')))
            """, args, tx) == 1;
        var verdict = taken ? Verdict.Go : await ExplainAsync(conn, tx, id, owner, ct);
        await tx.CommitAsync(ct);
        return verdict;
    }

    /// <summary>Why the reward could not be taken, and for a merchant's decision, the reward cancelled with it.</summary>
    private static async Task<Verdict> ExplainAsync(System.Data.Common.DbConnection conn, System.Data.Common.DbTransaction tx,
        long id, string owner, CancellationToken ct)
    {
        var row = await conn.QuerySingleOrDefaultAsync<Fresh>("""
            SELECT w.kind, w.last_error, f.blocked, f.blocked_reason, r.status AS referral_status, r.status_reason AS referral_reason
            FROM rewards w JOIN referrers f ON f.id = w.referrer_id LEFT JOIN referrals r ON r.id = w.referral_id
            WHERE w.id = @id AND w.lease_owner = @owner AND w.status = 'owed'
            """, new { id, owner }, tx);
        if (row is null) return Verdict.Lost; // another issuer holds it now, or it is no longer owed
        // An earlier attempt may have reached Shopify: that needs the merchant's look whatever was decided since.
        if (row.LastError == InFlight) return Verdict.OutcomeUnknown;
        var why = row.Blocked
            ? $"Not issued: the referrer was blocked ({row.BlockedReason ?? "no reason given"}) before the reward reached Shopify."
            : row.Kind == "referral" && row.ReferralStatus is "rejected" or "voided"
                ? $"Not issued: the referral was {row.ReferralStatus} ({row.ReferralReason ?? "no reason given"}) before the reward reached Shopify."
                : null;
        if (why is null) return Verdict.Lost;
        await conn.ExecuteAsync("""
            UPDATE rewards SET status = 'cancelled', last_error = @why, lease_owner = NULL, due_at = NULL
            WHERE id = @id AND lease_owner = @owner AND status = 'owed'
            """, new { id, owner, why }, tx);
        return Verdict.Cancelled;
    }

    private sealed record Fresh
    {
        public string Kind { get; init; } = "";
        public string? LastError { get; init; }
        public bool Blocked { get; init; }
        public string? BlockedReason { get; init; }
        public string? ReferralStatus { get; init; }
        public string? ReferralReason { get; init; }
    }
}
