using System.Net;
using Dapper;
using ShopifyReferral.Dashboard;
using ShopifyReferral.Merchant;
using ShopifyReferral.Rewards;
using ShopifyReferral.Tests.Engine;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.Dashboard;

/// <summary>
/// Against the sandbox store over real HTTP: a referral held for review, approved through the merchant API, gets its
/// reward issued by the rewards issuer; the thank sweeper then sets the customer's metafields and tag, exactly once.
/// </summary>
public class ApproveAndThankTests
{
    private const long OrderId = 5893217321195;
    private EngineHarness _h = null!;

    [SetUp]
    public async Task Start()
    {
        _h = await EngineHarness.StartAsync();
        _h.Store.AddCustomer(EngineHarness.Shop, "jane.doe@example.com", 3, EngineHarness.JaneId);
        await _h.EnrolJaneAsync();
        await _h.DeliverAsync("orders/create/with-code.json");
        await _h.DeliverAsync("orders/paid/with-code.json");
        // A fraud rule's "review" outcome, as FraudRules would leave it (the rule itself is the engine's, tested there).
        using var db = _h.App.OpenDb();
        db.Execute("UPDATE referrals SET status = 'review', status_reason = 'Velocity: 3 friends from one IP today.' WHERE order_id = @OrderId", new { OrderId });
    }

    [TearDown]
    public async Task Stop() { if (_h is not null) await _h.DisposeAsync(); }

    private async Task<HttpStatusCode> Approve(long id)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/referrals/{id}/approve") { Content = new StringContent("{\"reason\":\"checked\"}", System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", Sessions.Token(EngineHarness.Shop, _h.Time.GetUtcNow(), _h.Store.Options.ClientSecret, _h.Store.Options.ClientId));
        return (await _h.Http.SendAsync(request)).StatusCode;
    }

    [Test]
    public async Task ApproveHeldReferral_AfterTheHold_RewardIssuedInSandbox_ThenThankedOnce()
    {
        _h.Time.Advance(TimeSpan.FromDays(15));
        Assert.That(await _h.Get<RewardIssuer>().RunOnceAsync(default), Is.EqualTo(0), "nothing is owed while it waits for review");

        Assert.That(await Approve(_h.Referral(OrderId)!.Id), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(_h.Referral(OrderId)!.Status, Is.EqualTo("approved"), "the hold was already over");
        Assert.That(await _h.Get<RewardIssuer>().RunOnceAsync(default), Is.EqualTo(1));
        var code = _h.RewardDiscounts().Single().Codes.Single();
        Assert.That(_h.Referral(OrderId)!.Status, Is.EqualTo("rewarded"));

        var sweeper = _h.Get<RewardThanks>();
        Assert.That(await sweeper.RunOnceAsync(default), Is.EqualTo(1));
        Assert.That(await sweeper.RunOnceAsync(default), Is.EqualTo(0), "thanked once");
        var fields = _h.Store.CustomerMetafields(EngineHarness.Shop, EngineHarness.JaneId).ToDictionary(m => m.Key);
        Assert.That(fields["last_reward_code"].Value, Is.EqualTo(code));
        Assert.That(fields["last_reward_code"].Namespace, Is.EqualTo($"app--{_h.Store.Options.ClientId}--referral"));
        Assert.That(fields["last_reward_issued_at"].Type, Is.EqualTo("date_time"));
        Assert.That(_h.Store.CustomerTags(EngineHarness.Shop, EngineHarness.JaneId), Is.EqualTo(new[] { RewardThanks.Tag }));
        Assert.That(_h.App.Count("SELECT COUNT(*) FROM reward_thanks"), Is.EqualTo(1));

        // shop/redact later: the thanks row goes before the reward it points at (foreign key).
        await _h.Get<ShopifyReferral.Privacy.Redactor>().DeleteShopAsync(EngineHarness.Shop, default);
        Assert.That(_h.App.Count("SELECT COUNT(*) FROM reward_thanks") + _h.App.Count("SELECT COUNT(*) FROM rewards"), Is.EqualTo(0));
    }

    [Test]
    public async Task ApproveDuringTheHold_WaitsForTheHold()
    {
        Assert.That(await Approve(_h.Referral(OrderId)!.Id), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(_h.Referral(OrderId)!.Status, Is.EqualTo("pending"), "approval does not skip the return window");
        Assert.That(await _h.PassHoldAndIssueAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task ThankSweeper_ShopifyFails_NotMarked_RetriedNextRun()
    {
        _h.Time.Advance(TimeSpan.FromDays(15));
        await Approve(_h.Referral(OrderId)!.Id);
        await _h.Get<RewardIssuer>().RunOnceAsync(default);
        _h.Store.Faults(EngineHarness.Shop).FailNext(20, 500); // more than the client's retries
        Assert.That(await _h.Get<RewardThanks>().RunOnceAsync(default), Is.EqualTo(0));
        Assert.That(_h.App.Count("SELECT COUNT(*) FROM reward_thanks"), Is.EqualTo(0));
        _h.Store.Faults(EngineHarness.Shop).Clear();
        Assert.That(await _h.Get<RewardThanks>().RunOnceAsync(default), Is.EqualTo(1));
        Assert.That(_h.Store.CustomerTags(EngineHarness.Shop, EngineHarness.JaneId), Is.EqualTo(new[] { RewardThanks.Tag }));
    }

    [Test]
    public async Task ThankSweeper_CustomerGoneInShopify_RecordedAsFailed_NotRetried()
    {
        _h.Time.Advance(TimeSpan.FromDays(15));
        await Approve(_h.Referral(OrderId)!.Id);
        await _h.Get<RewardIssuer>().RunOnceAsync(default);
        using (var db = _h.App.OpenDb()) // the reward's referrer now points at a customer the store does not know
            db.Execute("UPDATE referrers SET customer_id = 999 WHERE customer_id = @JaneId", new { EngineHarness.JaneId });
        Assert.That(await _h.Get<RewardThanks>().RunOnceAsync(default), Is.EqualTo(0));
        Assert.That(_h.App.Count("SELECT COUNT(*) FROM reward_thanks WHERE outcome = 'failed' AND error LIKE '%Owner does not exist%'"), Is.EqualTo(1));
        var calls = _h.Store.Shop(EngineHarness.Shop).Requests.Count;
        Assert.That(await _h.Get<RewardThanks>().RunOnceAsync(default), Is.EqualTo(0));
        Assert.That(_h.Store.Shop(EngineHarness.Shop).Requests, Has.Count.EqualTo(calls), "not asked again");
        Assert.That(_h.App.Count("SELECT COUNT(*) FROM reward_thanks"), Is.EqualTo(1));
    }
}
