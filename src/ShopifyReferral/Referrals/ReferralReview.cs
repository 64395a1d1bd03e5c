using Dapper;
using ShopifyReferral.Data;

namespace ShopifyReferral.Referrals;

/// <summary>
/// A merchant's decision on a referral held for review. The hold period still applies after approval. Each decision
/// is recorded with the merchant's own reason in the same transaction, so it stays readable after the hold sweeper
/// (or anything else) writes a newer status_reason. An approval sends no event of its own: referral.approved is sent
/// by the release when the hold ends (at once if it has), so a referral is approved once, whoever approved it.
/// </summary>
public sealed class ReferralReview(Db db, Jobs.JobQueue jobs, Events.EventOutbox events, Jobs.JobsNow now, TimeProvider time)
{
    public async Task<bool> ApproveAsync(string shop, long referralId, string? reason, CancellationToken ct = default)
    {
        // Back to pending, with its release asked for: the hold still applies. If it is over, the release runs while
        // the merchant waits (no Shopify call in it), so the list they return to says approved.
        var changed = await DecideAsync(shop, referralId, "approve", "pending", ["review"], "Approved by the merchant", reason, ct);
        if (changed) await now.RunOneAsync(HoldSweeper.JobKind, referralId, ct);
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
        var changed = await conn.ExecuteAsync($"""
            UPDATE referrals SET status = @status, updated_at = @now, status_reason = @sentence
            WHERE id = @referralId AND shop = @shop AND {db.Dialect.InList("status", "@from")}
            """, new { shop, referralId, status, now, from, sentence = verdict + (why is null ? "." : ": " + why) }, tx) == 1;
        if (changed) await ReferralDecisions.RecordAsync(conn, tx, referralId, now, ReferralDecisions.MerchantActor, action, status, why);
        if (changed) await OrderAnalyticsFacts.RefreshReferralAsync(conn, tx, referralId);
        // The merchant's own words stay in the app (they may name people); the event says only who refused it.
        if (changed && status == "rejected") await ReferralEvents.RecordAsync(events, conn, tx, referralId, Events.EventTypes.ReferralRejected, "merchant");
        if (changed && status == "pending")
            await jobs.EnqueueAsync(conn, tx, HoldSweeper.JobKind, referralId, shop,
                DateTimeOffset.FromUnixTimeMilliseconds(await conn.ExecuteScalarAsync<long?>("SELECT hold_until FROM referrals WHERE id = @referralId", new { referralId }, tx) ?? now));
        await tx.CommitAsync(ct);
        return changed;
    }
}
