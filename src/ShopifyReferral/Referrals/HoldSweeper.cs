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

    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var blocked = await conn.QueryAsync<(long Id, string? Reason)>("""
            SELECT r.id, f.blocked_reason FROM referrals r JOIN referrers f ON f.id = r.referrer_id
            WHERE r.status = 'pending' AND r.paid_at IS NOT NULL AND r.hold_until <= @now AND f.blocked <> 0
            """, new { now });
        foreach (var (id, reason) in blocked)
            await conn.ExecuteAsync("UPDATE referrals SET status = 'rejected', updated_at = @now, status_reason = @why WHERE id = @id AND status = 'pending'",
                new { id, now, why = $"The referrer was blocked ({reason ?? "no reason given"}) before the hold ended." });
        // Blocked is checked again here: a block between the two statements must not slip through.
        var approved = await conn.ExecuteAsync("""
            UPDATE referrals SET status = 'approved', updated_at = @now,
                status_reason = 'The hold period ended without a cancellation or full refund.'
            WHERE status = 'pending' AND paid_at IS NOT NULL AND hold_until <= @now
              AND NOT EXISTS (SELECT 1 FROM referrers f WHERE f.id = referrals.referrer_id AND f.blocked <> 0)
            """, new { now });
        if (approved > 0) Approved?.Invoke();
        return approved;
    }
}
