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

    /// <summary>This kind's own attempts and waits between them; null: the Jobs:* settings every other kind shares.</summary>
    JobRetry? Retry => null;

    Task<JobResult> RunAsync(Job job, CancellationToken ct);

    /// <summary>The last attempt failed: record on the subject why it will not happen, for the merchant to see.</summary>
    Task GiveUpAsync(Job job, string error, CancellationToken ct) => Task.CompletedTask;
}

/// <summary>
/// A kind's retry policy: after the n-th failed attempt it waits BaseDelay * 2^(n-1), capped at MaxDelay, then
/// stretched by a random share of up to Jitter (0.2: up to 20% longer), so deliveries that failed together do not all
/// come back at the same instant. Jitter only lengthens a wait, so the schedule lasts at least <see cref="Span"/>.
/// </summary>
public sealed record JobRetry(int MaxAttempts, TimeSpan BaseDelay, TimeSpan MaxDelay, double Jitter = 0)
{
    /// <summary>The wait after the n-th failed attempt, before jitter.</summary>
    public TimeSpan Nominal(int attempt) =>
        TimeSpan.FromMilliseconds(Math.Min(BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Clamp(attempt - 1, 0, 30)), MaxDelay.TotalMilliseconds));

    public TimeSpan Delay(int attempt, Random random) => Nominal(attempt) * (1 + Jitter * random.NextDouble());

    /// <summary>The shortest time from the first attempt to the last: how long a failing job keeps trying.</summary>
    public TimeSpan Span => TimeSpan.FromTicks(Enumerable.Range(1, Math.Max(MaxAttempts - 1, 0)).Sum(n => Nominal(n).Ticks));
}

/// <summary>Work that repeats on its own (reconciliation, inbox retention): one job per kind, seeded at start.</summary>
public interface IPeriodicJob : IJobHandler
{
    TimeSpan Every { get; }
}
