using Dapper;
using ShopifyReferral.Data;

namespace ShopifyReferral.Referrals;

/// <summary>A merchant's decision on a referral held for review. The hold period still applies after approval.</summary>
public sealed class ReferralReview(Db db, HoldSweeper sweeper, TimeProvider time)
{
    public async Task<bool> ApproveAsync(string shop, long referralId, string? reason, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var changed = await conn.ExecuteAsync("""
            UPDATE referrals SET status = 'pending', updated_at = @now, status_reason = @why
            WHERE id = @referralId AND shop = @shop AND status = 'review'
            """, new { shop, referralId, now, why = "Approved by the merchant" + (string.IsNullOrWhiteSpace(reason) ? "." : ": " + reason) }) == 1;
        if (changed) await sweeper.RunOnceAsync(ct); // the hold may already be over
        return changed;
    }

    public async Task<bool> RejectAsync(string shop, long referralId, string? reason, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        return await conn.ExecuteAsync("""
            UPDATE referrals SET status = 'rejected', updated_at = @now, status_reason = @why
            WHERE id = @referralId AND shop = @shop AND status IN ('review', 'pending', 'approved')
            """, new
        {
            shop, referralId, now = time.GetUtcNow().ToUnixTimeMilliseconds(),
            why = "Rejected by the merchant" + (string.IsNullOrWhiteSpace(reason) ? "." : ": " + reason),
        }) == 1;
    }
}
