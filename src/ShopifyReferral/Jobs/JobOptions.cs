using Microsoft.Extensions.Options;

namespace ShopifyReferral.Jobs;

/// <summary>Bound from <c>Jobs</c>: one lease, retry, park and give-up policy for every kind of job.</summary>
public sealed class JobOptions
{
    /// <summary>Concurrent job loops in this instance (0: this instance runs no jobs, it only serves requests).</summary>
    public int Workers { get; set; } = 2;

    public int ClaimBatchSize { get; set; } = 20;

    /// <summary>
    /// Whether this instance schedules the periodic jobs (reconciliation, inbox retention, the job audit) when it
    /// starts. One instance doing so is enough; false where they are run by hand (the tests, whose clock jumps days).
    /// </summary>
    public bool SchedulePeriodic { get; set; } = true;

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>A claimed job's lease; renewed every third of it while the batch runs, so only a dead worker's job is taken over.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Attempts before a job gives up (its kind records why); the first try counts.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Wait after the n-th failed attempt: base * 2^(n-1), capped at RetryMaxDelay.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long a job waits while its shop has no usable token (uninstalled, or needing re-authorisation). No attempt
    /// is spent; a new install or token exchange makes the shop's parked jobs due at once, so this is only the fallback.
    /// </summary>
    public TimeSpan ParkedRecheck { get; set; } = TimeSpan.FromHours(1);
}

internal sealed class JobOptionsValidator : IValidateOptions<JobOptions>
{
    public ValidateOptionsResult Validate(string? name, JobOptions o)
    {
        var errors = new List<string>();
        if (o.Workers < 0) errors.Add("Jobs:Workers must be 0 (no jobs run here) or more.");
        if (o.ClaimBatchSize < 1) errors.Add("Jobs:ClaimBatchSize must be at least 1.");
        if (o.PollInterval <= TimeSpan.Zero) errors.Add("Jobs:PollInterval must be positive.");
        if (o.LeaseDuration <= TimeSpan.Zero) errors.Add("Jobs:LeaseDuration must be positive.");
        if (o.MaxAttempts < 1) errors.Add("Jobs:MaxAttempts must be at least 1.");
        if (o.RetryBaseDelay < TimeSpan.Zero || o.RetryMaxDelay < o.RetryBaseDelay) errors.Add("Jobs:RetryBaseDelay must be >= 0 and <= Jobs:RetryMaxDelay.");
        if (o.ParkedRecheck <= TimeSpan.Zero) errors.Add("Jobs:ParkedRecheck must be positive.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
