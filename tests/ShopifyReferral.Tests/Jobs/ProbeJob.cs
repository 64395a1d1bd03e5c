using ShopifyReferral.Jobs;

namespace ShopifyReferral.Tests.Jobs;

/// <summary>A job kind whose runs the test scripts: each run takes the next step (or the last one again).</summary>
public sealed class ProbeJob : IJobHandler
{
    public const string JobKind = "test.probe";

    public string Kind => JobKind;

    public bool NeedsShop { get; set; }

    /// <summary>What each run does, in turn; the last one repeats.</summary>
    public List<Func<Job, Task<JobResult>>> Steps { get; } = [];

    public List<Job> Runs { get; } = [];

    public List<string> GaveUp { get; } = [];

    /// <summary>Subjects whose next run asks for itself again while it runs (for the test's own bookkeeping).</summary>
    public HashSet<string> WishDuringRun { get; } = [];

    public Task<JobResult> RunAsync(Job job, CancellationToken ct)
    {
        Runs.Add(job);
        var step = Steps.Count == 0 ? (_ => Task.FromResult(JobResult.Done)) : Steps[Math.Min(Runs.Count - 1, Steps.Count - 1)];
        return step(job);
    }

    public Task GiveUpAsync(Job job, string error, CancellationToken ct)
    {
        GaveUp.Add(error);
        return Task.CompletedTask;
    }
}
