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

    /// <summary>The decisions of these referrals, oldest first.</summary>
    public static async Task<ILookup<long, Decision>> OfAsync(DbConnection conn, IReadOnlyCollection<long> referralIds) =>
        referralIds.Count == 0
            ? Array.Empty<Decision>().ToLookup(d => d.ReferralId)
            : (await conn.QueryAsync<Decision>(
                "SELECT referral_id, at, actor, action, status, reason FROM referral_decisions WHERE referral_id IN @referralIds ORDER BY referral_id, id",
                new { referralIds })).ToLookup(d => d.ReferralId);
}
