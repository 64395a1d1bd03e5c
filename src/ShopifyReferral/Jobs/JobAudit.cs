using Dapper;
using ShopifyReferral.Data;

namespace ShopifyReferral.Jobs;

/// <summary>A kind that can tell, from its own tables, which subjects need a job: the audit asks for those that have none waiting.</summary>
public interface IAuditedJob : IJobHandler
{
    /// <summary>
    /// A SELECT of (subject, shop, due) for subjects whose state calls for this job, each due in ms; it must keep out
    /// subjects with a job waiting already (<see cref="JobAudit.NoJobWaiting"/>).
    /// </summary>
    string MissingJobs { get; }
}

/// <summary>
/// The safety net under "a job is written with its decision": state that reached the database some other way (a
/// restore from backup, a manual edit, a version before the queue) still gets its jobs. Runs every 15 minutes as a
/// periodic job, so its scans never sit on the order path.
/// </summary>
public sealed class JobAudit(Db db, JobQueue queue, IServiceProvider services, ILogger<JobAudit> log, TimeProvider time) : IPeriodicJob
{
    public string Kind => "jobs.audit";

    public bool NeedsShop => false;

    public TimeSpan Every => TimeSpan.FromMinutes(15);

    /// <summary>"No job of <paramref name="kind"/> is waiting or running for the subject <paramref name="idColumn"/>."</summary>
    public static string NoJobWaiting(string kind, string idColumn) => $"""
        NOT EXISTS (SELECT 1 FROM jobs j WHERE j.kind = '{kind}' AND j.subject = CAST({idColumn} AS VARCHAR(32)) AND j.status IN ('queued', 'running'))
        """;

    public async Task<JobResult> RunAsync(Job job, CancellationToken ct)
    {
        var found = 0;
        foreach (var kind in services.GetServices<IJobHandler>().OfType<IAuditedJob>())
            found += await EnqueueMissingAsync(kind, ct);
        if (found > 0) log.LogWarning("The job audit found {Count} subjects without their job and queued them", found);
        return JobResult.Later(time.GetUtcNow() + Every, found > 0);
    }

    public async Task<int> EnqueueMissingAsync(IAuditedJob kind, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var missing = (await conn.QueryAsync<(string Subject, string Shop, long Due)>(kind.MissingJobs)).AsList();
        if (missing.Count == 0) return 0;
        await using var tx = await conn.BeginTransactionAsync(ct);
        foreach (var (subject, shop, due) in missing)
            await queue.EnqueueAsync(conn, tx, kind.Kind, subject, shop, DateTimeOffset.FromUnixTimeMilliseconds(due));
        await tx.CommitAsync(ct);
        return missing.Count;
    }
}
