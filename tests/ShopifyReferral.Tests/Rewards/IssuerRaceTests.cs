using Dapper;
using Microsoft.Extensions.DependencyInjection;
using ShopifyReferral.Referrals;
using ShopifyReferral.Rewards;
using ShopifyReferral.Sandbox;
using ShopifyReferral.Tests.Engine;

namespace ShopifyReferral.Tests.Rewards;

/// <summary>
/// Two issuers (two instances of the app) on one database. An issuer claims a batch under one lease; if it is slow
/// enough for the lease to run out, another takes the same rows. Whoever calls Shopify for a reward must have won
/// that reward at that moment, or store credit (which Shopify cannot look up) is paid twice.
/// </summary>
public class IssuerRaceTests
{
    private EngineHarness _h = null!;

    [SetUp]
    public async Task Start()
    {
        _h = await EngineHarness.StartAsync(new ProgramSettings
        {
            Milestones = [new Milestone(2, new ReferrerReward(RewardType.StoreCredit, 5m))],
        });
        _h.Store.AddCustomer(EngineHarness.Shop, "jane.doe@example.com", id: EngineHarness.JaneId);
        await _h.EnrolJaneAsync();
    }

    [TearDown]
    public async Task Stop() { if (_h is not null) await _h.DisposeAsync(); }

    [Test]
    public async Task LeaseRunsOutMidBatch_SecondIssuerTakesOver_StoreCreditPaidOnce()
    {
        for (var i = 0; i < 2; i++)
            await _h.Store.PlaceOrderAsync(EngineHarness.Shop, new SandboxOrder
            {
                CustomerId = 6100 + i, Email = $"race{i}@example.com", DiscountCode = "SAMREF-7Q2K", BrowserIp = $"198.51.100.{i + 1}",
            }, _h.WebhookUrl);
        await _h.ProcessAsync();
        _h.Time.Advance(TimeSpan.FromDays(15));
        Assert.That(await _h.Get<HoldSweeper>().RunOnceAsync(default), Is.EqualTo(2));

        // Owed, in claim order: the first referral's code, the milestone's store credit, the second referral's code.
        var first = _h.Get<RewardIssuer>();
        var second = ActivatorUtilities.CreateInstance<RewardIssuer>(_h.App.Services);
        var stalled = false;
        first.AfterShopifyCall = _ =>
        {
            if (stalled) return;
            stalled = true;
            // The first issuer is slow on its first reward: its lease on the batch runs out and the second takes it all.
            _h.Time.Advance(RewardIssuer.Lease + TimeSpan.FromSeconds(1));
            second.RunOnceAsync(default).GetAwaiter().GetResult();
        };
        await first.RunOnceAsync(default);
        first.AfterShopifyCall = null;
        _h.Time.Advance(TimeSpan.FromMinutes(10));
        await second.RunOnceAsync(default);

        Assert.That(_h.Store.StoreCreditTransactions(EngineHarness.Shop), Has.Count.EqualTo(1), "one credit for one milestone");
        Assert.That(_h.Store.StoreCreditBalance(EngineHarness.Shop, EngineHarness.JaneId, "USD"), Is.EqualTo(5m));
        Assert.That(_h.RewardDiscounts(), Has.Count.EqualTo(2));
        using var db = _h.App.OpenDb();
        Assert.That(db.Query<string>("SELECT status FROM rewards ORDER BY id"), Is.EqualTo(new[] { "issued", "issued", "issued" }));
    }
}
