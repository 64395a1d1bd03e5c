using Dapper;
using ShopifyReferral.Data;

namespace ShopifyReferral.Referrals;

/// <summary>
/// A merchant's decision on a referral held for review. The hold period still applies after approval. Each decision
/// is recorded with the merchant's own reason in the same transaction, so it stays readable after the hold sweeper
/// (or anything else) writes a newer status_reason.
/// </summary>
public sealed class ReferralReview(Db db, HoldSweeper sweeper, TimeProvider time)
{
    public async Task<bool> ApproveAsync(string shop, long referralId, string? reason, CancellationToken ct = default)
    {
        var changed = await DecideAsync(shop, referralId, "approve", "pending", ["review"], "Approved by the merchant", reason, ct);
        if (changed) await sweeper.RunOnceAsync(ct); // the hold may already be over
        return changed;
    }

    public Task<bool> RejectAsync(string shop, long referralId, string? reason, CancellationToken ct = default) =>
        DecideAsync(shop, referralId, "reject", "rejected", ["review", "pending", "approved"], "Rejected by the merchant", reason, ct);

    private async Task<bool> DecideAsync(
        string shop, long referralId, string action, string status, string[] from, string verdict, string? reason, CancellationToken ct)
    {
        var why = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var changed = await conn.ExecuteAsync("""
            UPDATE referrals SET status = @status, updated_at = @now, status_reason = @sentence
            WHERE id = @referralId AND shop = @shop AND status IN @from
            """, new { shop, referralId, status, now, from, sentence = verdict + (why is null ? "." : ": " + why) }, tx) == 1;
        if (changed) await ReferralDecisions.RecordAsync(conn, tx, referralId, now, ReferralDecisions.MerchantActor, action, status, why);
        await tx.CommitAsync(ct);
        return changed;
    }
}
