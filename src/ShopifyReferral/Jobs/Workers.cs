using Microsoft.Extensions.Options;
using ShopifyReferral.Webhooks;

namespace ShopifyReferral.Jobs;

/// <summary>
/// The one background host: the inbox's loops (deliveries in) and the job queue's loops (every side effect out, and the
/// periodic work). Each loop catches, logs and goes on, so none dies; an idle loop sleeps until its signal or its poll
/// interval. Referrals:Background=false runs no job loops (tests drive each kind by hand; an instance may only serve
/// requests); Webhooks:Workers=0 runs no inbox loops.
/// </summary>
public sealed class Workers(
    WebhookProcessor inbox, InboxSignal inboxSignal, JobRunner jobs, JobQueue queue, JobSignal jobSignal,
    IOptions<WebhookOptions> inboxOptions, IOptions<JobOptions> jobOptions, IConfiguration config, TimeProvider time, ILogger<Workers> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var loops = new List<Task>();
        var webhooks = inboxOptions.Value;
        for (var i = 0; i < webhooks.Workers; i++)
            loops.Add(LoopAsync("webhook", () => inbox.RunOnceAsync(stoppingToken), webhooks.ClaimBatchSize, inboxSignal, webhooks.PollInterval, stoppingToken));
        if (config.GetValue("Referrals:Background", true) && jobOptions.Value.Workers > 0)
        {
            if (jobOptions.Value.SchedulePeriodic) await SeedPeriodicAsync(stoppingToken);
            var o = jobOptions.Value;
            for (var i = 0; i < o.Workers; i++)
                loops.Add(LoopAsync("job", async () => (await jobs.RunBatchAsync(null, stoppingToken)).Claimed, o.ClaimBatchSize, jobSignal, o.PollInterval, stoppingToken));
        }
        await Task.WhenAll(loops);
    }

    /// <summary>Each periodic kind has its one job; at start it is asked for (a running or sooner one stays as it is).</summary>
    private async Task SeedPeriodicAsync(CancellationToken ct)
    {
        foreach (var periodic in jobs.Handlers.OfType<IPeriodicJob>())
        {
            try
            {
                await queue.EnqueueAsync(periodic.Kind, "*", "", time.GetUtcNow() + FirstRunIn(periodic), ct);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                log.LogError(ex, "Could not schedule the periodic job {Kind}; it runs when the next instance starts", periodic.Kind);
            }
        }
    }

    // The audit is a safety net for state written outside the app (a restore): not needed at every start.
    private static TimeSpan FirstRunIn(IPeriodicJob job) => job is JobAudit ? job.Every : TimeSpan.Zero;

    private async Task LoopAsync(string what, Func<Task<int>> runOnce, int batch, WakeSignal signal, TimeSpan poll, CancellationToken ct)
    {
        await Task.Yield();
        while (!ct.IsCancellationRequested)
        {
            var claimed = 0;
            try
            {
                claimed = await runOnce();
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                log.LogError(ex, "A {What} loop's iteration failed; continuing", what);
            }
            if (claimed < batch)
            {
                try { await signal.WaitAsync(poll, time, ct); }
                catch (OperationCanceledException) { return; }
            }
        }
    }
}
