using ShopifyReferral.Referrals;

namespace ShopifyReferral.Rewards;

/// <summary>Runs issuance and clawback in the background: promptly after approvals, and every few seconds.</summary>
public sealed class RewardWorker(RewardIssuer issuer, Clawback clawback, HoldSweeper sweeper, ILogger<RewardWorker> log) : BackgroundService
{
    private readonly SemaphoreSlim _signal = new(0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        sweeper.Approved += () => { if (_signal.CurrentCount == 0) _signal.Release(); };
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await issuer.RunOnceAsync(stoppingToken) > 0) { }
                await clawback.RunOnceAsync(stoppingToken);
                await _signal.WaitAsync(TimeSpan.FromSeconds(5), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                log.LogError(ex, "Reward worker iteration failed; continuing");
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
            }
        }
    }
}
