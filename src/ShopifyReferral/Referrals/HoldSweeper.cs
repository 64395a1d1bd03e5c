using Dapper;
using ShopifyReferral.Data;
using ShopifyReferral.Jobs;
using ShopifyReferral.Rewards;

namespace ShopifyReferral.Referrals;

/// <summary>
/// Job referral.release, one per referral, due when its hold ends (asked for by the judge, and by a merchant's
/// approval): approves a referral whose hold period ended without a cancellation or refund and, in the same
/// transaction, owes its rewards and asks for their issue. A referrer the merchant blocked during the hold gets
/// nothing: such a referral is rejected with the block's reason, as the engine rejects a blocked referrer's new
/// referrals. Every write re-checks the state it changes, so a referral voided or rejected meanwhile is left alone.
/// </summary>
public sealed class HoldSweeper(Db db, RewardLedger ledger, Events.EventOutbox events, JobsNow now, TimeProvider time) : IAuditedJob
{
    public const string JobKind = "referral.release";
    public const string Released = "The hold period ended without a cancellation or full refund.";

    public string Kind => JobKind;

    public bool NeedsShop => false; // no Shopify call: it decides and owes, the issue job calls Shopify

    public string MissingJobs => $"""
        SELECT CAST(r.id AS VARCHAR(32)), r.shop, COALESCE(r.hold_until, 0) FROM referrals r
        WHERE (r.status = 'approved' OR (r.status = 'pending' AND r.paid_at IS NOT NULL)) AND {JobAudit.NoJobWaiting(JobKind, "r.id")}
        """;

    /// <summary>Releases every referral whose hold ended, now. Returns how many it approved.</summary>
    public Task<int> RunOnceAsync(CancellationToken ct) => now.RunAsync(this, ct);

    public async Task<JobResult> RunAsync(Job job, CancellationToken ct)
    {
        var at = time.GetUtcNow();
        var ms = at.ToUnixTimeMilliseconds();
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var r = await conn.QuerySingleOrDefaultAsync<Held>("""
            SELECT r.id, r.shop, r.status, r.paid_at, r.hold_until, r.referrer_id, r.program_version, r.currency, f.blocked, f.blocked_reason
            FROM referrals r JOIN referrers f ON f.id = r.referrer_id WHERE r.id = @id
            """, new { id = job.SubjectId }, tx);
        if (r is null) return JobResult.NothingToDo;
        var approved = false;
        if (r is { Status: "pending", PaidAt: not null })
        {
            if (r.HoldUntil > ms) return JobResult.Later(DateTimeOffset.FromUnixTimeMilliseconds(r.HoldUntil.Value));
            if (r.Blocked)
            {
                var why = $"The referrer was blocked ({r.BlockedReason ?? "no reason given"}) before the hold ended.";
                if (await conn.ExecuteAsync("UPDATE referrals SET status = 'rejected', updated_at = @ms, status_reason = @why WHERE id = @Id AND status = 'pending'",
                        new { r.Id, ms, why }, tx) == 1)
                {
                    await ReferralDecisions.RecordAsync(conn, tx, r.Id, ms, ReferralDecisions.SystemActor, "reject", "rejected", why);
                    await OrderAnalyticsFacts.RefreshReferralAsync(conn, tx, r.Id);
                    await ReferralEvents.RecordAsync(events, conn, tx, r.Id, Events.EventTypes.ReferralRejected, "blocked_referrer");
                }
                await tx.CommitAsync(ct);
                return JobResult.NothingToDo;
            }
            // Blocked is checked again in the write: a block since the read must not slip through.
            approved = await conn.ExecuteAsync("""
                UPDATE referrals SET status = 'approved', updated_at = @ms, status_reason = @why
                WHERE id = @Id AND status = 'pending' AND paid_at IS NOT NULL AND hold_until <= @ms
                  AND NOT EXISTS (SELECT 1 FROM referrers f WHERE f.id = referrals.referrer_id AND f.blocked <> 0)
                """, new { r.Id, ms, why = Released }, tx) == 1;
            if (approved)
            {
                await ReferralDecisions.RecordAsync(conn, tx, r.Id, ms, ReferralDecisions.SystemActor, "release", "approved", Released);
                await ReferralEvents.RecordAsync(events, conn, tx, r.Id, Events.EventTypes.ReferralApproved);
            }
        }
        if (approved || r.Status == "approved")
            await ledger.OweForReferralAsync(conn, tx, r.Shop, r.Id, r.ReferrerId, r.ProgramVersion, r.Currency, ct);
        await tx.CommitAsync(ct);
        return approved ? JobResult.Done : JobResult.NothingToDo;
    }

    private sealed record Held
    {
        public long Id { get; init; }
        public string Shop { get; init; } = "";
        public string Status { get; init; } = "";
        public long? PaidAt { get; init; }
        public long? HoldUntil { get; init; }
        public long ReferrerId { get; init; }
        public int ProgramVersion { get; init; }
        public string? Currency { get; init; }
        public bool Blocked { get; init; }
        public string? BlockedReason { get; init; }
    }
}
