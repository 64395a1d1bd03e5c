using Microsoft.Extensions.Options;
using ShopifyReferral.Data;
using ShopifyReferral.Shops;

namespace ShopifyReferral.Jobs;

/// <summary>
/// Claims due jobs and runs each with its kind's handler under one policy for all kinds: a heartbeat renews the
/// batch's lease while it runs; each job is checked to be still ours right before it runs; a job whose shop has no
/// usable token is parked without spending an attempt; a failure waits base * 2^(attempt-1) (the Jobs:* settings, or
/// the kind's own <see cref="IJobHandler.Retry"/>); the last allowed attempt gives up, and the kind records why on its
/// subject. Shopify calls happen inside handlers, never inside a transaction of the queue's.
/// </summary>
public sealed class JobRunner(
    JobQueue queue, IEnumerable<IJobHandler> handlers, ShopStore shops, IOptions<JobOptions> options, TimeProvider time, ILogger<JobRunner> log)
{
    private readonly Dictionary<string, IJobHandler> _byKind = handlers.ToDictionary(h => h.Kind, StringComparer.Ordinal);

    public IReadOnlyCollection<IJobHandler> Handlers => _byKind.Values;

    /// <summary>One batch of due jobs (of <paramref name="kind"/>, or any). Returns how many jobs it claimed and how many acted.</summary>
    public async Task<(int Claimed, int Acted)> RunBatchAsync(string? kind, CancellationToken ct, string? subject = null)
    {
        var o = options.Value;
        var owner = Guid.NewGuid().ToString("N");
        var jobs = await queue.ClaimAsync(owner, o.ClaimBatchSize, kind, subject, o.LeaseDuration, ct);
        if (jobs.Count == 0) return (0, 0);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var heartbeat = KeepLeaseAsync(owner, stop.Token);
        var acted = 0;
        try
        {
            foreach (var job in jobs)
                if (await RunAsync(job, ct)) acted++;
        }
        finally
        {
            await stop.CancelAsync();
            await heartbeat;
        }
        return (jobs.Count, acted);
    }

    /// <summary>Runs one job now, in the caller, if it is due and no other worker holds it. Returns whether it acted.</summary>
    public async Task<bool> RunNowAsync(string kind, long subject, CancellationToken ct) =>
        (await RunBatchAsync(kind, ct, subject.ToString(System.Globalization.CultureInfo.InvariantCulture))).Acted > 0;

    /// <summary>
    /// Runs the jobs of <paramref name="kind"/> due now, batch after batch until a batch comes back short: a job that
    /// failed and is due again at once waits for the next call rather than spending its attempts in this one.
    /// Returns how many acted.
    /// </summary>
    public async Task<int> RunDueAsync(string kind, CancellationToken ct)
    {
        var acted = 0;
        int claimed;
        do
        {
            (claimed, var a) = await RunBatchAsync(kind, ct);
            acted += a;
        } while (claimed == options.Value.ClaimBatchSize);
        return acted;
    }

    private async Task<bool> RunAsync(Job job, CancellationToken ct)
    {
        var o = options.Value;
        if (!_byKind.TryGetValue(job.Kind, out var handler))
        {
            // Written by a newer version of the app: left for it, looked at again later, never dropped.
            await queue.RetryAsync(job, o.ParkedRecheck, $"No handler for job kind '{job.Kind}' in this version.", parked: true, ct);
            return false;
        }
        if (!await queue.TouchAsync(job, o.LeaseDuration, ct))
        {
            log.LogWarning("Job {Kind} {Subject} was taken over after a lapsed lease; not run here", job.Kind, job.Subject);
            return false;
        }
        try
        {
            if (handler.NeedsShop && (await shops.FindAsync(job.Shop, ct))?.Status is var status and not "installed")
                throw new ShopNotInstalledException(job.Shop, status is null ? "the shop never installed the app" : $"the shop is {status}");
            var result = await handler.RunAsync(job, ct);
            Fenced(job, await queue.FinishAsync(job, result.RunAgainAt, ct));
            Operations.AppMetrics.Job(job.Kind, result.RunAgainAt is null ? "done" : "later");
            return result.Acted;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw; // shutting down: the lease runs out and another worker takes the job
        }
        catch (Exception ex) when (IsShopUnavailable(ex))
        {
            log.LogInformation("Job {Kind} {Subject} of {Shop} parked: {Why}", job.Kind, job.Subject, job.Shop, ex.Message);
            Fenced(job, await queue.RetryAsync(job, o.ParkedRecheck, ex.Message, parked: true, ct));
            Operations.AppMetrics.Job(job.Kind, "parked");
        }
        catch (Exception ex) when (job.Attempts >= (handler.Retry?.MaxAttempts ?? o.MaxAttempts))
        {
            var why = $"Gave up after {job.Attempts} attempts: {ex.Message}";
            log.LogWarning(ex, "Job {Kind} {Subject} of {Shop} failed for good", job.Kind, job.Subject, job.Shop);
            await handler.GiveUpAsync(job, why, ct);
            Fenced(job, await queue.FailAsync(job, why, ct));
            Operations.AppMetrics.Job(job.Kind, "failed");
        }
        catch (Exception ex)
        {
            var delay = handler.Retry is { } retry ? retry.Delay(job.Attempts, Random.Shared) : Backoff(job.Attempts);
            log.LogWarning(ex, "Job {Kind} {Subject} of {Shop} attempt {Attempt} failed; retrying in {Delay}", job.Kind, job.Subject, job.Shop, job.Attempts, delay);
            Fenced(job, await queue.RetryAsync(job, delay, $"{ex.GetType().Name}: {ex.Message}", parked: false, ct));
            Operations.AppMetrics.Job(job.Kind, "retry");
        }
        return false;
    }

    internal TimeSpan Backoff(int attempt)
    {
        var o = options.Value;
        var ms = o.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Clamp(attempt - 1, 0, 30));
        return TimeSpan.FromMilliseconds(Math.Min(ms, o.RetryMaxDelay.TotalMilliseconds));
    }

    private void Fenced(Job job, bool recorded)
    {
        if (!recorded)
            log.LogWarning("Job {Kind} {Subject}: lease {Owner} ran out while it ran; its outcome was not recorded", job.Kind, job.Subject, job.Owner);
    }

    private async Task KeepLeaseAsync(string owner, CancellationToken ct)
    {
        var lease = options.Value.LeaseDuration;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(lease / 3, time, ct);
                await queue.RenewAsync(owner, lease, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                log.LogWarning(ex, "Renewing the lease of a job batch failed; trying again");
            }
        }
    }

    private static bool IsShopUnavailable(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
            if (ex is ShopNotInstalledException) return true;
        return false;
    }
}
