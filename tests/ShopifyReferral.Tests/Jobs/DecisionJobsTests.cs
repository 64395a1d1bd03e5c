using System.Globalization;
using Dapper;
using ShopifyReferral.Dashboard;
using ShopifyReferral.Merchant;
using ShopifyReferral.Referrals;
using ShopifyReferral.Rewards;
using ShopifyReferral.Sandbox;
using ShopifyReferral.Tests.Engine;

namespace ShopifyReferral.Tests.Jobs;

/// <summary>
/// Each decision writes the job that carries it out, in its own transaction, with nothing but the queue to carry it:
/// the tests read the jobs table after each step and never run the audit (which would hide a missing job).
/// </summary>
public class DecisionJobsTests
{
    private EngineHarness _h = null!;

    [SetUp]
    public async Task Start()
    {
        _h = await EngineHarness.StartAsync();
        _h.Store.AddCustomer(EngineHarness.Shop, "jane.doe@example.com", 3, EngineHarness.JaneId); // thanked by tag and metafields
    }

    [TearDown]
    public async Task Stop() { if (_h is not null) await _h.DisposeAsync(); }

    private List<(string Kind, string Subject, string Status, long DueAt)> Jobs()
    {
        using var db = _h.App.OpenDb();
        return db.Query<(string, string, string, long)>("SELECT kind, subject, status, due_at FROM jobs WHERE kind NOT LIKE 'test.%' ORDER BY id").ToList();
    }

    private Task<int> Run(string kind) => _h.Get<ShopifyReferral.Jobs.JobRunner>().RunDueAsync(kind, default);

    [Test]
    public async Task OrderToReward_EveryStepAsksForTheNext_DueWhenItShould()
    {
        var jane = await _h.Get<ReferrerService>().EnrolAsync(EngineHarness.Shop, EngineHarness.JaneId, "jane.doe@example.com", "Jane", "Doe", code: "SAMREF-7Q2K");
        Assert.That(Jobs(), Is.EqualTo(new[] { (ReferrerCodeSync.JobKind, jane.Id.ToString(CultureInfo.InvariantCulture), "queued", _h.Time.GetUtcNow().ToUnixTimeMilliseconds()) }));
        Assert.That(await Run(ReferrerCodeSync.JobKind), Is.EqualTo(1), "the code went live");

        await _h.Store.PlaceOrderAsync(EngineHarness.Shop, new SandboxOrder
        {
            CustomerId = 6001, Email = "friend@example.com", DiscountCode = jane.Code, Subtotal = 90m,
        }, _h.WebhookUrl);
        await _h.ProcessAsync();
        var orderId = _h.Store.Orders(EngineHarness.Shop)[^1].Id;
        var referral = _h.Referral(orderId)!;
        var release = Jobs().Single(j => j.Kind == HoldSweeper.JobKind);
        Assert.That(release.Subject, Is.EqualTo(referral.Id.ToString(CultureInfo.InvariantCulture)));
        Assert.That(release.DueAt, Is.EqualTo(referral.HoldUntil), "due when the hold ends, not before");
        Assert.That(await Run(HoldSweeper.JobKind), Is.EqualTo(0));

        _h.Time.Advance(TimeSpan.FromDays(15));
        Assert.That(await Run(HoldSweeper.JobKind), Is.EqualTo(1));
        var issue = Jobs().Single(j => j.Kind == RewardIssuer.JobKind);
        Assert.That(issue.Subject, Is.EqualTo(((long)_h.Rewards().Single().id).ToString(CultureInfo.InvariantCulture)), "owed with its issue job");
        Assert.That(await Run(RewardIssuer.JobKind), Is.EqualTo(1));
        Assert.That(_h.RewardDiscounts(), Has.Count.EqualTo(1));
        Assert.That(Jobs().Single(j => j.Kind == RewardThanks.JobKind).Status, Is.EqualTo("queued"), "the thanks are asked for with the issue");
        Assert.That(await Run(RewardThanks.JobKind), Is.EqualTo(1));

        await _h.Store.CancelOrderAsync(EngineHarness.Shop, orderId, _h.WebhookUrl);
        await _h.ProcessAsync();
        Assert.That(_h.Referral(orderId)!.Status, Is.EqualTo("voided"));
        Assert.That(Jobs().Single(j => j.Kind == Clawback.JobKind).Subject, Is.EqualTo(referral.Id.ToString(CultureInfo.InvariantCulture)));
        Assert.That(await Run(Clawback.JobKind), Is.EqualTo(1));
        Assert.That((string)_h.Rewards().Single().status, Is.EqualTo("clawed_back"));
        Assert.That(Jobs().Where(j => !j.Kind.StartsWith("shops.", StringComparison.Ordinal) && !j.Kind.StartsWith("inbox.", StringComparison.Ordinal) && !j.Kind.StartsWith("jobs.", StringComparison.Ordinal)).Select(j => j.Status),
            Is.All.EqualTo("done"));
    }

    [Test]
    public async Task BlockAndUnblock_EachAsksForTheCodeJobAgain()
    {
        var jane = await _h.EnrolJaneAsync();
        await _h.Get<ReferrerService>().SetBlockedByIdAsync(EngineHarness.Shop, jane.Id, true, "reseller");
        Assert.That(Jobs().Single(j => j.Kind == ReferrerCodeSync.JobKind).Status, Is.EqualTo("queued"));
        await Run(ReferrerCodeSync.JobKind);
        Assert.That(_h.Store.Discounts(EngineHarness.Shop).Single(d => d.Codes.Contains(jane.Code)).Status, Is.EqualTo("EXPIRED"));
        await _h.Get<ReferrerService>().SetBlockedByIdAsync(EngineHarness.Shop, jane.Id, false, null);
        await Run(ReferrerCodeSync.JobKind);
        Assert.That(_h.Store.Discounts(EngineHarness.Shop).Single(d => d.Codes.Contains(jane.Code)).Status, Is.EqualTo("ACTIVE"));
    }
}
