using Dapper;
using Microsoft.Extensions.DependencyInjection;
using ShopifyReferral.Jobs;
using ShopifyReferral.Shops;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.Jobs;

/// <summary>
/// The queue's promises, on the real database: a job commits with its decision or not at all, one row per subject, a
/// wish during a run makes it run again, failures back off and give up with the kind told why, a shop without a token
/// parks its jobs until it installs again, and a lapsed lease's worker records nothing over the one that took over.
/// </summary>
public class JobQueueTests
{
    private const string Shop = "jobs.myshopify.com";
    private ManualTime _time = null!;
    private ProbeJob _probe = null!;
    private TestApp _app = null!;

    [SetUp]
    public async Task Start()
    {
        _probe = new ProbeJob();
        _time = new ManualTime();
        _app = new TestApp(new()
        {
            ["Webhooks:Workers"] = "0", ["Referrals:Background"] = "false",
            ["Jobs:RetryBaseDelay"] = "00:00:10", ["Jobs:MaxAttempts"] = "3", ["Jobs:LeaseDuration"] = "00:01:00",
        }, _time, services: s => s.AddSingleton<IJobHandler>(_probe));
        await _app.Service<ShopStore>().MarkInstalledAsync(Shop, _time.GetUtcNow());
    }

    [TearDown]
    public void Stop() => _app?.Dispose();

    private JobQueue Queue => _app.Service<JobQueue>();
    private JobRunner Runner => _app.Service<JobRunner>();
    private Task<int> RunDue() => Runner.RunDueAsync(ProbeJob.JobKind, default);

    private dynamic? Row(string subject = "1")
    {
        using var db = _app.OpenDb();
        return db.QuerySingleOrDefault("SELECT * FROM jobs WHERE kind = @kind AND subject = @subject", new { kind = ProbeJob.JobKind, subject });
    }

    [Test]
    public async Task EnqueuedInARolledBackDecision_NoJob()
    {
        await using (var conn = _app.OpenDb())
        {
            await using var tx = await conn.BeginTransactionAsync();
            await Queue.EnqueueAsync(conn, tx, ProbeJob.JobKind, 1, Shop);
            await tx.RollbackAsync();
        }
        Assert.That(Row(), Is.Null);
        Assert.That(await RunDue(), Is.EqualTo(0));
    }

    [Test]
    public async Task AskedTwice_OneRow_TheEarlierDueTimeKept()
    {
        await Queue.EnqueueAsync(ProbeJob.JobKind, "1", Shop, _time.GetUtcNow().AddHours(2));
        await Queue.EnqueueAsync(ProbeJob.JobKind, "1", Shop, _time.GetUtcNow().AddHours(1));
        await Queue.EnqueueAsync(ProbeJob.JobKind, "1", Shop, _time.GetUtcNow().AddHours(3));
        Assert.That((long)Row()!.due_at, Is.EqualTo(_time.GetUtcNow().AddHours(1).ToUnixTimeMilliseconds()));
        Assert.That(await RunDue(), Is.EqualTo(0), "not due yet");
        _time.Advance(TimeSpan.FromHours(1));
        Assert.That(await RunDue(), Is.EqualTo(1));
        Assert.That(await RunDue(), Is.EqualTo(0), "done: one row, one run");
        Assert.That((string)Row()!.status, Is.EqualTo("done"));
    }

    [Test]
    public async Task AskedForWhileItRuns_RunsOnceMoreAfterwards()
    {
        _probe.Steps.Add(async job => { await Queue.EnqueueAsync(ProbeJob.JobKind, job.Subject, Shop); return JobResult.Done; });
        _probe.Steps.Add(_ => Task.FromResult(JobResult.Done));
        await Queue.EnqueueAsync(ProbeJob.JobKind, "1", Shop);
        Assert.That(await RunDue(), Is.EqualTo(1));
        Assert.That((string)Row()!.status, Is.EqualTo("queued"), "the wish that came mid-run is not lost");
        Assert.That(await RunDue(), Is.EqualTo(1));
        Assert.That((string)Row()!.status, Is.EqualTo("done"));
        Assert.That(_probe.Runs, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Failing_BacksOffDoubling_ThenGivesUp_AndTheKindRecordsWhy()
    {
        _probe.Steps.Add(_ => throw new HttpRequestException("Shopify is down"));
        await Queue.EnqueueAsync(ProbeJob.JobKind, "1", Shop);
        await RunDue();
        Assert.That(await RunDue(), Is.EqualTo(0));
        Assert.That(_probe.Runs, Has.Count.EqualTo(1), "10 s backoff: not yet");
        _time.Advance(TimeSpan.FromSeconds(10));
        await RunDue();
        _time.Advance(TimeSpan.FromSeconds(10));
        await RunDue();
        Assert.That(_probe.Runs, Has.Count.EqualTo(2), "then 20 s");
        _time.Advance(TimeSpan.FromSeconds(10));
        await RunDue();
        Assert.That(_probe.Runs, Has.Count.EqualTo(3));
        Assert.That((string)Row()!.status, Is.EqualTo("failed"));
        Assert.That(_probe.GaveUp.Single(), Does.Contain("Gave up after 3 attempts").And.Contain("Shopify is down"));
    }

    [Test]
    public async Task ShopUninstalled_ParkedWithoutSpendingAttempts_DueAtOnceAfterTheInstall()
    {
        _probe.NeedsShop = true;
        await _app.Service<ShopStore>().MarkUninstalledAsync(Shop, _time.GetUtcNow());
        await Queue.EnqueueAsync(ProbeJob.JobKind, "1", Shop);
        for (var i = 0; i < 5; i++)
        {
            await RunDue();
            _time.Advance(TimeSpan.FromHours(2));
        }
        Assert.That(_probe.Runs, Is.Empty, "never run without the shop");
        Assert.That(((string)Row()!.status, (long)Row()!.attempts), Is.EqualTo(("queued", 0L)));
        Assert.That((string)Row()!.last_error, Does.StartWith(ShopStore.ParkedPrefix).And.Contain("uninstalled"));

        await _app.Service<ShopStore>().MarkInstalledAsync(Shop, _time.GetUtcNow());
        _time.Advance(TimeSpan.FromMinutes(1));
        await RunDue();
        Assert.That(_probe.Runs, Has.Count.EqualTo(1), "woken by the reinstall though its recheck was an hour away");
    }

    [Test]
    public async Task LeaseLapsed_AnotherWorkerTakesTheJob_TheFirstRecordsNothing()
    {
        await Queue.EnqueueAsync(ProbeJob.JobKind, "1", Shop);
        var first = (await Queue.ClaimAsync("first", 10, ProbeJob.JobKind, null, TimeSpan.FromMinutes(1), default)).Single();
        Assert.That(await Queue.ClaimAsync("second", 10, ProbeJob.JobKind, null, TimeSpan.FromMinutes(1), default), Is.Empty, "leased");
        _time.Advance(TimeSpan.FromMinutes(1));
        var second = (await Queue.ClaimAsync("second", 10, ProbeJob.JobKind, null, TimeSpan.FromMinutes(1), default)).Single();

        Assert.That(await Queue.FinishAsync(first, null, default), Is.False, "fenced");
        Assert.That(await Queue.FinishAsync(second, null, default), Is.True);
        Assert.That((long)Row()!.attempts, Is.EqualTo(0));
    }

    [Test]
    public async Task KindThisVersionDoesNotKnow_LeftWaiting_NeverDropped()
    {
        await Queue.EnqueueAsync("from.a.newer.version", "7", Shop);
        await Runner.RunBatchAsync(null, default);
        using var db = _app.OpenDb();
        var row = db.QuerySingle("SELECT status, last_error FROM jobs WHERE kind = 'from.a.newer.version'");
        Assert.That((string)row.status, Is.EqualTo("queued"));
        Assert.That((string)row.last_error, Does.Contain("No handler"));
    }

    [Test]
    public async Task Later_RunsAgainAtTheTimeTheKindChose()
    {
        _probe.Steps.Add(_ => Task.FromResult(JobResult.Later(_time.GetUtcNow().AddDays(14))));
        _probe.Steps.Add(_ => Task.FromResult(JobResult.Done));
        await Queue.EnqueueAsync(ProbeJob.JobKind, "1", Shop);
        await RunDue();
        _time.Advance(TimeSpan.FromDays(13));
        await RunDue();
        Assert.That(_probe.Runs, Has.Count.EqualTo(1));
        _time.Advance(TimeSpan.FromDays(1));
        Assert.That(await RunDue(), Is.EqualTo(1));
        Assert.That((string)Row()!.status, Is.EqualTo("done"));
    }
}

/// <summary>The worker host schedules each periodic kind once and runs it on the app's clock.</summary>
public class PeriodicJobsTests
{
    [Test]
    public async Task AtStart_EachPeriodicKindIsScheduled_ReconcileAndRetentionRunAtOnce_TheAuditLater()
    {
        var time = new ManualTime();
        using var app = new TestApp(new() { ["Webhooks:Workers"] = "0", ["Jobs:SchedulePeriodic"] = "true" }, time);
        app.CreateClient(); // starts the host
        var start = time.GetUtcNow().ToUnixTimeMilliseconds();
        List<(string Kind, string Status, long DueAt)> rows = [];
        for (var i = 0; i < 200; i++)
        {
            using var db = app.OpenDb();
            rows = db.Query<(string, string, long)>("SELECT kind, status, due_at FROM jobs ORDER BY kind").ToList();
            if (rows.Count == 5 && rows.All(r => r.Status == "queued" && r.DueAt > start)) break;
            await Task.Delay(50);
        }
        Assert.That(rows, Is.EqualTo(new[]
        {
            ("discounts.usage_check", "queued", start + (long)TimeSpan.FromDays(1).TotalMilliseconds),
            ("inbox.prune", "queued", start + (long)TimeSpan.FromHours(1).TotalMilliseconds),
            ("jobs.audit", "queued", start + (long)TimeSpan.FromMinutes(15).TotalMilliseconds),
            ("shops.reconcile", "queued", start + (long)TimeSpan.FromMinutes(15).TotalMilliseconds),
            ("shops.token_keepalive", "queued", start + (long)TimeSpan.FromDays(1).TotalMilliseconds),
        }), "prune, reconcile, the token keep-alive and the usage check ran once and asked to run again; the audit waits its first interval");
    }
}
