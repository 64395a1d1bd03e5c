using Dapper;
using ShopifyReferral.Data;

namespace ShopifyReferral.Referrals;

/// <summary>
/// Approves referrals whose hold period ended without a cancellation or refund; driven by TimeProvider. A referrer
/// the merchant blocked during the hold gets nothing: such a referral is rejected with the block's reason, as the
/// engine rejects a blocked referrer's new referrals.
/// </summary>
public sealed class HoldSweeper(Db db, TimeProvider time, ILogger<HoldSweeper> log) : BackgroundService
{
    public event Action? Approved;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
                await Task.Delay(TimeSpan.FromMinutes(1), time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                log.LogError(ex, "Hold sweep failed; retrying in a minute");
                await Task.Delay(TimeSpan.FromMinutes(1), time, stoppingToken);
            }
        }
    }

    public const string Released = "The hold period ended without a cancellation or full refund.";

    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        // Each due referral with its referrer's standing: a referrer blocked during the hold gets nothing.
        var due = (await conn.QueryAsync<(long Id, bool Blocked, string? BlockedReason)>("""
            SELECT r.id, f.blocked, f.blocked_reason FROM referrals r JOIN referrers f ON f.id = r.referrer_id
            WHERE r.status = 'pending' AND r.paid_at IS NOT NULL AND r.hold_until <= @now
            """, new { now })).AsList();
        var approved = 0;
        await using (var tx = await conn.BeginTransactionAsync(ct))
        {
            // Row by row under the same condition: a referral voided or rejected since the SELECT is left alone, and
            // each release writes its decision with it (status_reason alone would overwrite the merchant's reason).
            foreach (var (id, blocked, blockedReason) in due)
            {
                if (blocked)
                {
                    var why = $"The referrer was blocked ({blockedReason ?? "no reason given"}) before the hold ended.";
                    if (await conn.ExecuteAsync("UPDATE referrals SET status = 'rejected', updated_at = @now, status_reason = @why WHERE id = @id AND status = 'pending'",
                            new { id, now, why }, tx) == 1)
                        await ReferralDecisions.RecordAsync(conn, tx, id, now, ReferralDecisions.SystemActor, "reject", "rejected", why);
                    continue;
                }
                // Blocked is checked again in the write: a block since the SELECT must not slip through.
                if (await conn.ExecuteAsync("""
                    UPDATE referrals SET status = 'approved', updated_at = @now, status_reason = @why
                    WHERE id = @id AND status = 'pending' AND paid_at IS NOT NULL AND hold_until <= @now
                      AND NOT EXISTS (SELECT 1 FROM referrers f WHERE f.id = referrals.referrer_id AND f.blocked <> 0)
                    """, new { id, now, why = Released }, tx) == 0) continue;
                await ReferralDecisions.RecordAsync(conn, tx, id, now, ReferralDecisions.SystemActor, "release", "approved", Released);
                approved++;
            }
            await tx.CommitAsync(ct);
        }
        if (approved > 0) Approved?.Invoke();
        return approved;
    }
}
