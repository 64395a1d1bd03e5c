using Dapper;
using ShopifyReferral.Referrals;
using ShopifyReferral.Rewards;
using ShopifyReferral.Sandbox;
using ShopifyReferral.Shopify;
using ShopifyReferral.Shops;
using ShopifyReferral.Tests.Engine;

namespace ShopifyReferral.Tests.Referrals;

/// <summary>
/// The background sweeps (code sync, reconciliation, clawback) against a sandbox store where one shop or one call is
/// slower than the client's timeout: that item waits for the next run, every other one goes on. A reward whose
/// discount the merchant deleted ends instead of being retried for ever.
/// </summary>
public class PerShopFailureTests
{
    private const string OtherShop = "z-fine.myshopify.com";
    private EngineHarness _h = null!;

    [SetUp]
    public async Task Start() => _h = await EngineHarness.StartAsync(settings: new()
    {
        // One retry of a one-second attempt: a call held three seconds by the store ends in Polly's timeout.
        ["Shopify:RequestTimeout"] = "00:00:01", ["Shopify:MaxRetryAttempts"] = "1",
    });

    [TearDown]
    public async Task Stop() { if (_h is not null) await _h.DisposeAsync(); }

    /// <summary>The next call to the shop, and its one retry, are held longer than the timeout.</summary>
    private void NextCallTimesOut(string shop = EngineHarness.Shop) => _h.Store.Faults(shop).DelayNext(2, TimeSpan.FromSeconds(3));

    [Test]
    public async Task CodeSync_OneCallTimesOut_TheOtherCodesStillGoLive()
    {
        var referrers = _h.Get<ReferrerService>();
        await referrers.EnrolAsync(EngineHarness.Shop, 1001, "slow@example.com", "Slow", null, code: "SLOW-1111");
        await referrers.EnrolAsync(EngineHarness.Shop, 1002, "fine@example.com", "Fine", null, code: "FINE-2222");
        NextCallTimesOut();

        Assert.That(await _h.Get<ReferrerCodeSync>().RunOnceAsync(default), Is.EqualTo(1));

        using var db = _h.App.OpenDb();
        var status = db.Query<(string Code, string Status)>("SELECT code, code_status FROM referrers").ToDictionary(r => r.Code, r => r.Status);
        Assert.That(status, Is.EqualTo(new Dictionary<string, string> { ["SLOW-1111"] = "pending", ["FINE-2222"] = "live" }));
        Assert.That(await _h.Get<ReferrerCodeSync>().RunOnceAsync(default), Is.EqualTo(1), "the slow one goes live on the next run");
    }

    [Test]
    public async Task CodeSync_BlockingOneCodeTimesOut_TheOtherCodeIsStillSwitchedOff()
    {
        var referrers = _h.Get<ReferrerService>();
        await referrers.EnrolAsync(EngineHarness.Shop, 1001, "slow@example.com", "Slow", null, code: "SLOW-1111");
        await referrers.EnrolAsync(EngineHarness.Shop, 1002, "fine@example.com", "Fine", null, code: "FINE-2222");
        Assert.That(await _h.Get<ReferrerCodeSync>().RunOnceAsync(default), Is.EqualTo(2));
        await referrers.SetBlockedAsync(EngineHarness.Shop, 1001, true, "test");
        await referrers.SetBlockedAsync(EngineHarness.Shop, 1002, true, "test");
        NextCallTimesOut();

        await _h.Get<ReferrerCodeSync>().RunOnceAsync(default);

        string[] Statuses() => [.. _h.Store.Discounts(EngineHarness.Shop).Select(d => d.Status).Order()];
        Assert.That(Statuses(), Is.EqualTo(new[] { "ACTIVE", "EXPIRED" }), "one switched off, the slow one left for the next round");
        await _h.Get<ReferrerCodeSync>().RunOnceAsync(default);
        Assert.That(Statuses(), Is.EqualTo(new[] { "EXPIRED", "EXPIRED" }));
    }

    [Test]
    public async Task Reconcile_OneShopTimesOut_TheOtherShopIsReconciled()
    {
        await _h.Get<ShopInstaller>().InstallAsync(OtherShop, _h.Store.CreateAuthorizationCode(OtherShop), default);
        NextCallTimesOut();

        await _h.Get<Reconciler>().RunOnceAsync(default);

        using var db = _h.App.OpenDb();
        Assert.That(db.Query<string>("SELECT shop FROM reconcile_cursors"), Is.EqualTo(new[] { OtherShop }),
            "the slow shop keeps its cursor for the next run; the other one moved on");
    }

    [Test]
    public async Task Clawback_OneCallTimesOut_TheOtherRewardIsClawedBack()
    {
        await RewardTwoFriendsAsync();
        VoidAll();
        NextCallTimesOut();

        Assert.That(await _h.Get<Clawback>().RunOnceAsync(default), Is.EqualTo(1));
        Assert.That(_h.Rewards().Select(r => (string)r.status).Order(), Is.EqualTo(new[] { "clawed_back", "issued" }));
        Assert.That(await _h.Get<Clawback>().RunOnceAsync(default), Is.EqualTo(1), "the slow one on the next run");
    }

    [Test]
    public async Task Clawback_DiscountDeletedByTheMerchant_EndsClawedBack_NotRetried()
    {
        await RewardTwoFriendsAsync();
        var gid = (string)_h.Rewards()[0].shopify_gid;
        Assert.That(_h.Store.DeleteDiscount(EngineHarness.Shop, gid), Is.True);
        VoidAll();

        Assert.That(await _h.Get<Clawback>().RunOnceAsync(default), Is.EqualTo(2));
        var deleted = _h.Rewards()[0];
        Assert.That((string)deleted.status, Is.EqualTo("clawed_back"));
        Assert.That((string)deleted.last_error, Does.Contain("deleted in Shopify"));
        var calls = _h.Store.Shop(EngineHarness.Shop).Requests.Count;
        Assert.That(await _h.Get<Clawback>().RunOnceAsync(default), Is.EqualTo(0));
        Assert.That(_h.Store.Shop(EngineHarness.Shop).Requests, Has.Count.EqualTo(calls), "nothing left to ask Shopify");
    }

    /// <summary>Two friends order with Jane's code at checkout, each from their own address; the hold passes and both rewards go out.</summary>
    private async Task RewardTwoFriendsAsync()
    {
        var jane = await _h.EnrolJaneAsync();
        for (var i = 1; i <= 2; i++)
        {
            var placed = await _h.Store.PlaceOrderAsync(EngineHarness.Shop, new SandboxOrder
            {
                CustomerId = 300_000 + i, Email = $"friend{i}@example.org", DiscountCode = jane.Code, BrowserIp = $"198.51.100.{i}",
            }, _h.WebhookUrl);
            Assert.That(placed.All(d => d.Succeeded));
        }
        await _h.ProcessAsync();
        Assert.That(await _h.PassHoldAndIssueAsync(), Is.EqualTo(2));
    }

    /// <summary>Both friends' orders were refunded (the engine's voiding is tested in ReferralFlowTests).</summary>
    private void VoidAll()
    {
        using var db = _h.App.OpenDb();
        db.Execute("UPDATE referrals SET status = 'voided', status_reason = 'Refunded.'");
    }
}
