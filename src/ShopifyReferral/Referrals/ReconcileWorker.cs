namespace ShopifyReferral.Referrals;

/// <summary>Runs reconciliation at start and then every Referrals:ReconcileEvery (default 15 minutes).</summary>
public sealed class ReconcileWorker(Reconciler reconciler, IConfiguration config, ILogger<ReconcileWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = config.GetValue("Referrals:ReconcileEvery", TimeSpan.FromMinutes(15));
        using var timer = new PeriodicTimer(every);
        try
        {
            do
            {
                try
                {
                    await reconciler.RunOnceAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    log.LogError(ex, "Reconciliation failed; trying again in {Every}", every);
                }
            } while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
