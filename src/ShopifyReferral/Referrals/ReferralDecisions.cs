using System.Data.Common;
using Dapper;

namespace ShopifyReferral.Referrals;

/// <summary>One status change of a referral: who or what decided, when (Unix ms), what, the status after it, and why.</summary>
public sealed record Decision
{
    public long ReferralId { get; init; }
    [System.Text.Json.Serialization.JsonConverter(typeof(Merchant.UnixMsJson))] public long At { get; init; }

    /// <summary>engine (its rules, on the order's facts) | merchant | system (hold sweeper, reward issuer).</summary>
    public string Actor { get; init; } = "";

    /// <summary>hold | review | approve | reject | release | reward | void.</summary>
    public string Action { get; init; } = "";
    public string Status { get; init; } = "";
    public string? Reason { get; init; }
}

/// <summary>
/// The decision history (referral_decisions). Each status change writes its decision in the transaction that makes
/// the change, and only when the change happened, so the history is complete and never claims a change that did not.
/// </summary>
public static class ReferralDecisions
{
    public const string EngineActor = "engine", MerchantActor = "merchant", SystemActor = "system";

    public static Task RecordAsync(DbConnection conn, DbTransaction tx, long referralId, long at, string actor, string action, string status, string? reason) =>
        conn.ExecuteAsync("""
            INSERT INTO referral_decisions (referral_id, at, actor, action, status, reason)
            VALUES (@referralId, @at, @actor, @action, @status, @reason)
            """, new { referralId, at, actor, action, status, reason }, tx);

    /// <summary>
    /// An approved referral whose reward went out becomes rewarded, with its decision; for the reward room, which
    /// asks in its own transaction. <paramref name="onlyIfIssued"/>: only if its referral reward is issued already (a
    /// crash between the two writes, a restore). Returns whether it changed.
    /// </summary>
    public static async Task<bool> MarkRewardedAsync(DbConnection conn, DbTransaction tx, long referralId, long at, string why, bool onlyIfIssued = false)
    {
        var changed = await conn.ExecuteAsync($"""
            UPDATE referrals SET status = 'rewarded', updated_at = @at WHERE id = @referralId AND status = 'approved'
            {(onlyIfIssued ? "AND EXISTS (SELECT 1 FROM rewards w WHERE w.referral_id = referrals.id AND w.kind = 'referral' AND w.status IN ('issued', 'redeemed'))" : "")}
            """, new { referralId, at }, tx) == 1;
        if (changed) await RecordAsync(conn, tx, referralId, at, SystemActor, "reward", "rewarded", why);
        // The funnel's "rewarded referrals" reads the order row's copy of this status.
        if (changed) await OrderAnalyticsFacts.RefreshReferralAsync(conn, tx, referralId);
        return changed;
    }

    /// <summary>The decisions of these referrals, oldest first.</summary>
    public static async Task<ILookup<long, Decision>> OfAsync(DbConnection conn, IReadOnlyCollection<long> referralIds) =>
        referralIds.Count == 0
            ? Array.Empty<Decision>().ToLookup(d => d.ReferralId)
            : (await conn.QueryAsync<Decision>(
                $"SELECT referral_id, at, actor, action, status, reason FROM referral_decisions WHERE {Data.SqlDialect.Of(conn).InList("referral_id", "@referralIds")} ORDER BY referral_id, id",
                new { referralIds = referralIds.ToArray() })).ToLookup(d => d.ReferralId);
}
