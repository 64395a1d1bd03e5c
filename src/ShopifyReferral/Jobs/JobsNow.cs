namespace ShopifyReferral.Jobs;

/// <summary>
/// Runs one kind's due jobs right now, in the caller: what a kind's RunOnceAsync does (tests drive each step this way,
/// and the sandbox demo). First asks for any job its kind's audit finds missing (state written outside the app, such as
/// a restore), then runs each due job once. Resolves the runner when called: the runner needs every handler, and
/// handlers reach it through here, so neither constructs the other.
/// </summary>
public sealed class JobsNow(IServiceProvider services)
{
    public async Task<int> RunAsync(IJobHandler kind, CancellationToken ct)
    {
        if (kind is IAuditedJob audited) await services.GetRequiredService<JobAudit>().EnqueueMissingAsync(audited, ct);
        return await services.GetRequiredService<JobRunner>().RunDueAsync(kind.Kind, ct);
    }

    /// <summary>One job, if it is due: a merchant's decision that the queue would carry out in a moment anyway, done while they wait.</summary>
    public Task<bool> RunOneAsync(string kind, long subject, CancellationToken ct) =>
        services.GetRequiredService<JobRunner>().RunNowAsync(kind, subject, ct);
}
