using Dapper;
using ShopifyReferral.Referrals;
using ShopifyReferral.Rewards;
using ShopifyReferral.Sandbox;
using ShopifyReferral.Tests.Engine;

namespace ShopifyReferral.Tests.Rewards;

/// <summary>
/// Every instance's catch-up owes what approvals call for, so several may owe the same referrals at the same moment.
/// The UNIQUE key decides who wrote each reward first; the others must take "already owed" in their stride. (On
/// PostgreSQL a unique violation aborts the whole transaction, so catching it is not enough there: the next statement
/// of the same transaction fails, and the referral's milestone with it.)
/// </summary>
public class ConcurrentOwingTests
{
    private EngineHarness _h = null!;

    [SetUp]
    public async Task Start()
    {
        _h = await EngineHarness.StartAsync(new ProgramSettings
        {
            Milestones = [new Milestone(2, new ReferrerReward(RewardType.FixedAmount, 5m)), new Milestone(4, new ReferrerReward(RewardType.FixedAmount, 20m))],
        });
        await _h.EnrolJaneAsync();
    }

    [TearDown]
    public async Task Stop() { if (_h is not null) await _h.DisposeAsync(); }

    [Test]
    public async Task SeveralWorkersOweTheSameApprovalsAtOnce_EachRewardOwedOnce_NoneFails()
    {
        const int friends = 6;
        for (var i = 0; i < friends; i++)
            await _h.Store.PlaceOrderAsync(EngineHarness.Shop, new SandboxOrder
            {
                CustomerId = 6000 + i, Email = $"friend{i}@example.com", DiscountCode = "SAMREF-7Q2K", BrowserIp = $"198.51.100.{i + 1}",
            }, _h.WebhookUrl);
        await _h.ProcessAsync();
        _h.Time.Advance(TimeSpan.FromDays(15));
        // Approved with nothing owed yet, as a restore or a version before the job queue leaves them (the release job
        // owes in the same transaction as it approves): every instance's catch-up then owes them at the same moment.
        using (var approve = _h.App.OpenDb())
            Assert.That(approve.Execute("UPDATE referrals SET status = 'approved' WHERE status = 'pending'"), Is.EqualTo(friends));

        var ledger = _h.Get<RewardLedger>();
        // The race is narrow (two inserts passing the pre-check together): one round alone lost it about once in
        // twenty runs, so the same approvals are owed afresh several times.
        for (var round = 1; round <= 20; round++)
        {
            var owed = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => ledger.OweApprovedAsync(default))));

            using var db = _h.App.OpenDb();
            var keys = db.Query<string>("SELECT idempotency_key FROM rewards").ToList();
            Assert.That(keys, Has.Count.EqualTo(friends + 2), $"round {round}: one per referral and one per milestone");
            Assert.That(keys, Is.Unique);
            Assert.That(owed.Sum(), Is.EqualTo(friends + 2), $"round {round}: each reward counted by the worker that wrote it");
            db.Execute("DELETE FROM jobs WHERE kind = @kind", new { kind = RewardIssuer.JobKind });
            db.Execute("DELETE FROM rewards");
        }
    }
}
