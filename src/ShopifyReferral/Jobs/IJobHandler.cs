namespace ShopifyReferral.Jobs;

/// <summary>A claimed job: which kind, about what (a reward id, a referrer id, a shop), and the lease it runs under.</summary>
public sealed record Job(long Id, string Kind, string Subject, string Shop, int Attempts, int Wakes, string Owner)
{
    public long SubjectId => long.Parse(Subject, System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// How a run ended when it did not throw: finished, or to run again at a time the kind chooses. Acted: it did what the
/// job is for (a code made live, a reward issued), as against finding nothing left to do.
/// </summary>
public readonly record struct JobResult(DateTimeOffset? RunAgainAt, bool Acted)
{
    public static readonly JobResult Done = new(null, true);

    public static readonly JobResult NothingToDo = new(null, false);

    public static JobResult Later(DateTimeOffset at, bool acted = false) => new(at, acted);
}

/// <summary>
/// One kind of job. A run looks at the current state of its subject and does what is still to do, so running it
/// twice, late, or after a crash is harmless; the kind keeps its own exactly-once rule at the point of effect
/// (lookup before create, in-flight markers, conditional updates). A run that throws is retried by the runner with
/// backoff, parked while its shop has no usable token, and given up after Jobs:MaxAttempts (<see cref="GiveUpAsync"/>).
/// </summary>
public interface IJobHandler
{
    string Kind { get; }

    /// <summary>Whether the job needs its shop installed (a Shopify call): if not, it is parked without running.</summary>
    bool NeedsShop => true;

    Task<JobResult> RunAsync(Job job, CancellationToken ct);

    /// <summary>The last attempt failed: record on the subject why it will not happen, for the merchant to see.</summary>
    Task GiveUpAsync(Job job, string error, CancellationToken ct) => Task.CompletedTask;
}

/// <summary>Work that repeats on its own (reconciliation, inbox retention): one job per kind, seeded at start.</summary>
public interface IPeriodicJob : IJobHandler
{
    TimeSpan Every { get; }
}
