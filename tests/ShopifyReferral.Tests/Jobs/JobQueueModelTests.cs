using Dapper;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.DependencyInjection;
using ShopifyReferral.Jobs;
using ShopifyReferral.Shops;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.Jobs;

/// <summary>
/// The queue's rules against random histories on the real database: wishes (enqueues, some arriving while the job
/// runs), runs that succeed, fail or ask to run later, workers that die holding a lease, and time. After every step:
/// one row per subject, and no job runs while another worker's lease on it is live. At the end, once every failure
/// has passed: no wish is lost (each subject ran after its last wish) and nothing ran that nobody asked for.
/// </summary>
public class JobQueueModelTests
{
    private const string Shop = "model-jobs.myshopify.com";
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    public abstract record Step
    {
        public sealed record Wish(int Subject, int InMinutes) : Step;
        public sealed record WishDuringRun(int Subject) : Step;
        public sealed record Run(Outcome Outcome) : Step;
        public sealed record Crash(int Subject) : Step;
        public sealed record Advance(int Minutes) : Step;
    }

    public enum Outcome { Done, Fail, Later }

    private static readonly Gen<Step> Steps = Gen.Frequency(
        (4, from s in Gen.Choose(0, 3) from m in Gen.Elements(0, 0, 5, 90) select (Step)new Step.Wish(s, m)),
        (1, Gen.Choose(0, 3).Select(s => (Step)new Step.WishDuringRun(s))),
        (5, Gen.Elements(Outcome.Done, Outcome.Done, Outcome.Fail, Outcome.Later).Select(o => (Step)new Step.Run(o))),
        (1, Gen.Choose(0, 3).Select(s => (Step)new Step.Crash(s))),
        (3, Gen.Elements(1, 2, 30, 120).Select(m => (Step)new Step.Advance(m))));

    [TestCase(11UL)]
    [TestCase(12UL)]
    public void RandomHistories_NoWishLost_NoRunUnderAnotherLease(ulong seed)
    {
        TestDatabase.SkipUnlessAvailable();
        var histories = from n in Gen.Choose(5, 30) from steps in Steps.ArrayOf(n) select steps;
        Prop.ForAll(Arb.From(histories), steps => Holds(steps).GetAwaiter().GetResult())
            .Check(Config.QuickThrowOnFailure.WithMaxTest(4).WithReplay(seed, 0x9E3779B97F4A7C15UL).WithQuietOnSuccess(true));
    }

    private static async Task<bool> Holds(Step[] steps)
    {
        var time = new ManualTime();
        var probe = new ProbeJob();
        using var app = new TestApp(new()
        {
            ["Webhooks:Workers"] = "0", ["Referrals:Background"] = "false", ["Jobs:RetryBaseDelay"] = "00:00:10",
            ["Jobs:MaxAttempts"] = "100", ["Jobs:LeaseDuration"] = "00:01:00", ["Jobs:ClaimBatchSize"] = "2",
        }, time, services: s => s.AddSingleton<IJobHandler>(probe));
        await app.Service<ShopStore>().MarkInstalledAsync(Shop, time.GetUtcNow());
        var queue = app.Service<JobQueue>();
        var runner = app.Service<JobRunner>();
        var order = 0; // counts wishes and run starts, in the order they happen
        var lastWish = new Dictionary<string, int>();
        var lastStart = new Dictionary<string, int>();
        var crashedUntil = new Dictionary<string, DateTimeOffset>();
        var log = new List<string>();
        var violations = new List<string>();
        var now = 0;
        var outcome = Outcome.Done;
        probe.Steps.Add(async job =>
        {
            if (crashedUntil.TryGetValue(job.Subject, out var until) && time.GetUtcNow() < until)
                violations.Add($"{job.Subject} ran at step {now} under another worker's live lease");
            lastStart[job.Subject] = ++order;
            if (probe.WishDuringRun.Remove(job.Subject))
            {
                await queue.EnqueueAsync(ProbeJob.JobKind, job.Subject, Shop);
                lastWish[job.Subject] = ++order;
            }
            return outcome switch
            {
                Outcome.Fail => throw new HttpRequestException("scripted failure"),
                Outcome.Later => JobResult.Later(time.GetUtcNow().AddMinutes(3)),
                _ => JobResult.Done,
            };
        });

        foreach (var step in steps)
        {
            now++;
            log.Add(step.ToString());
            switch (step)
            {
                case Step.Wish w:
                    await queue.EnqueueAsync(ProbeJob.JobKind, $"{w.Subject}", Shop, time.GetUtcNow().AddMinutes(w.InMinutes));
                    lastWish[$"{w.Subject}"] = ++order;
                    break;
                case Step.WishDuringRun w:
                    probe.WishDuringRun.Add($"{w.Subject}");
                    break;
                case Step.Run r:
                    outcome = r.Outcome;
                    await runner.RunDueAsync(ProbeJob.JobKind, default);
                    break;
                case Step.Crash c:
                    // A worker claims what is due (this subject among it, maybe) and dies holding the lease.
                    foreach (var job in await queue.ClaimAsync("dead", 10, ProbeJob.JobKind, $"{c.Subject}", Lease, default))
                        crashedUntil[job.Subject] = time.GetUtcNow() + Lease;
                    break;
                case Step.Advance a:
                    time.Advance(TimeSpan.FromMinutes(a.Minutes));
                    break;
            }
            using var db = app.OpenDb();
            var rows = db.Query<string>("SELECT subject FROM jobs WHERE kind = @k", new { k = ProbeJob.JobKind }).ToList();
            Assert.That(rows, Is.Unique, $"one row per subject\n{string.Join("\n", log)}");
        }

        // Drain: every failure passes, every lease and backoff runs out; runs now succeed.
        outcome = Outcome.Done;
        probe.WishDuringRun.Clear();
        for (var round = 0; round < 40; round++)
        {
            now++;
            time.Advance(TimeSpan.FromMinutes(30));
            await runner.RunDueAsync(ProbeJob.JobKind, default);
        }
        Assert.That(violations, Is.Empty, string.Join("\n", log));
        string Rows()
        {
            using var db = app.OpenDb();
            return string.Join("\n", db.Query<(string, string, long, int, int, string?)>("SELECT subject, status, due_at, attempts, wakes, last_error FROM jobs").Select(r => r.ToString()));
        }
        foreach (var (subject, wishedAt) in lastWish)
            Assert.That(lastStart.GetValueOrDefault(subject), Is.GreaterThan(wishedAt), $"subject {subject}: its last wish (#{wishedAt}) never ran\n{Rows()}\n{string.Join("\n", log)}");
        Assert.That(probe.Runs.Select(r => r.Subject).Distinct(), Is.SubsetOf(lastWish.Keys), "nothing ran unasked");
        return true;
    }
}
