using Dapper;
using ShopifyReferral.Data;

namespace ShopifyReferral.Referrals;

/// <summary>Approves referrals whose hold period ended without a cancellation or refund; driven by TimeProvider.</summary>
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
        var due = (await conn.QueryAsync<long>(
            "SELECT id FROM referrals WHERE status = 'pending' AND paid_at IS NOT NULL AND hold_until <= @now", new { now })).AsList();
        var approved = 0;
        await using (var tx = await conn.BeginTransactionAsync(ct))
        {
            // Row by row under the same condition: a referral voided or rejected since the SELECT is left alone, and
            // each release writes its decision with it (status_reason alone would overwrite the merchant's reason).
            foreach (var id in due)
            {
                if (await conn.ExecuteAsync("""
                    UPDATE referrals SET status = 'approved', updated_at = @now, status_reason = @why
                    WHERE id = @id AND status = 'pending' AND paid_at IS NOT NULL AND hold_until <= @now
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
