using Dapper;
using ShopifyReferral.Referrals;
using ShopifyReferral.Rewards;
using ShopifyReferral.Sandbox;
using ShopifyReferral.Tests.Engine;

namespace ShopifyReferral.Tests.Rewards;

/// <summary>
/// What the merchant decides while a reward is owed (reject the referral, block the referrer, refund the order)
/// wins over issuance that has not reached Shopify yet: the reward ends cancelled with the reason, and Shopify never
/// sees it. The issuer re-checks at the moment of the call, not when it claimed the row.
/// </summary>
public class MerchantDecisionTests
{
    private const long OrderId = 5893217321195; // webhooks/orders/paid/with-code.json
    private EngineHarness _h = null!;

    [SetUp]
    public async Task Start()
    {
        _h = await EngineHarness.StartAsync();
        await _h.EnrolJaneAsync();
    }

    [TearDown]
    public async Task Stop() { if (_h is not null) await _h.DisposeAsync(); }

    private dynamic Reward(long id)
    {
        using var db = _h.App.OpenDb();
        return db.QuerySingle("SELECT * FROM rewards WHERE id = @id", new { id });
    }

    [TestCase("reject", "rejected")]
    [TestCase("refund", "voided")]
    [TestCase("block", "blocked")]
    public async Task DecisionAfterTheRewardWasOwed_RewardCancelledWithTheReason_NothingInShopify(string decision, string reason)
    {
        await _h.DeliverAsync("orders/paid/with-code.json");
        _h.Time.Advance(TimeSpan.FromDays(15));
        Assert.That(await _h.Get<HoldSweeper>().RunOnceAsync(default), Is.EqualTo(1), "approved, and its reward owed with it");
        Assert.That(await _h.Get<RewardLedger>().OweApprovedAsync(default), Is.EqualTo(0), "owed already");

        switch (decision)
        {
            case "reject":
                Assert.That(await _h.Get<ReferralReview>().RejectAsync(EngineHarness.Shop, _h.Referral(OrderId)!.Id, "Known reseller"));
                break;
            case "refund":
                await _h.DeliverAsync("refunds/create/full.json");
                break;
            default:
                Assert.That(await _h.Get<ReferrerService>().SetBlockedAsync(EngineHarness.Shop, EngineHarness.JaneId, true, "Coupon site"));
                break;
        }
        Assert.That(await _h.Get<RewardIssuer>().RunOnceAsync(default), Is.EqualTo(0));
        _h.Time.Advance(TimeSpan.FromHours(1));
        await _h.Get<RewardIssuer>().RunOnceAsync(default);

        var reward = _h.Rewards().Single();
        Assert.That((string)reward.status, Is.EqualTo("cancelled"));
        Assert.That((string)reward.last_error, Does.Contain(reason));
        Assert.That(_h.RewardDiscounts(), Is.Empty, "never reached Shopify");
    }

    [Test]
    public async Task ReferrerBlockedWhileTheIssuerHoldsTheBatch_TheRestIsCancelledNotIssued()
    {
        for (var i = 0; i < 2; i++)
            await _h.Store.PlaceOrderAsync(EngineHarness.Shop, new SandboxOrder
            {
                CustomerId = 6200 + i, Email = $"batch{i}@example.com", DiscountCode = "SAMREF-7Q2K", BrowserIp = $"198.51.100.{i + 1}",
            }, _h.WebhookUrl);
        await _h.ProcessAsync();
        _h.Time.Advance(TimeSpan.FromDays(15));
        await _h.Get<HoldSweeper>().RunOnceAsync(default);

        var issuer = _h.Get<RewardIssuer>();
        issuer.AfterShopifyCall = _ =>
        {
            issuer.AfterShopifyCall = null; // the merchant blocks Jane while the first reward is being issued
            _h.Get<ReferrerService>().SetBlockedAsync(EngineHarness.Shop, EngineHarness.JaneId, true, "Coupon site").GetAwaiter().GetResult();
        };
        Assert.That(await issuer.RunOnceAsync(default), Is.EqualTo(1), "the one already at Shopify is recorded");

        using var db = _h.App.OpenDb();
        Assert.That(db.Query<string>("SELECT status FROM rewards ORDER BY id"), Is.EqualTo(new[] { "issued", "cancelled" }));
        Assert.That(_h.RewardDiscounts(), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task ReferrerBlockedDuringTheHold_NotApproved_NoRewardOwed()
    {
        await _h.DeliverAsync("orders/paid/with-code.json");
        Assert.That(await _h.Get<ReferrerService>().SetBlockedAsync(EngineHarness.Shop, EngineHarness.JaneId, true, "Coupon site"));

        Assert.That(await _h.PassHoldAndIssueAsync(), Is.EqualTo(0));

        var referral = _h.Referral(OrderId)!;
        Assert.That(referral.Status, Is.EqualTo("rejected"));
        Assert.That(referral.StatusReason, Does.Contain("blocked").And.Contain("Coupon site"));
        Assert.That(_h.Rewards(), Is.Empty);
        Assert.That(_h.RewardDiscounts(), Is.Empty);
    }
}
