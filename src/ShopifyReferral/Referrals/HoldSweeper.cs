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

    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var approved = await conn.ExecuteAsync("""
            UPDATE referrals SET status = 'approved', updated_at = @now,
                status_reason = 'The hold period ended without a cancellation or full refund.'
            WHERE status = 'pending' AND paid_at IS NOT NULL AND hold_until <= @now
            """, new { now });
        if (approved > 0) Approved?.Invoke();
        return approved;
    }
}
