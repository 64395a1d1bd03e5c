using Dapper;
using ShopifyReferral.Events;
using ShopifyReferral.Referrals;
using ShopifyReferral.Sandbox;
using ShopifyReferral.Tests.Engine;

namespace ShopifyReferral.Tests.Events;

/// <summary>Each step of a referral's life sends its documented event, once, in order, to an endpoint of every type.</summary>
public class EventLifecycleTests : EventsFixture
{
    private readonly List<Received> _seen = [];

    [SetUp]
    public void Forget() => _seen.Clear(); // NUnit keeps one instance for the fixture's tests

    /// <summary>Delivers what is due and returns the types of the events that arrived since the last call.</summary>
    private async Task<string[]> NewAsync()
    {
        await DeliverAsync();
        var fresh = Receiver.Accepted.Skip(_seen.Count).ToList();
        _seen.AddRange(fresh);
        return fresh.Select(r => r.Type).ToArray();
    }

    private async Task<long> FriendOrderAsync(string code, long customerId = 6001, bool test = false)
    {
        await H.Store.PlaceOrderAsync(EngineHarness.Shop, new SandboxOrder
        {
            CustomerId = customerId, Email = $"friend{customerId}@example.com", DiscountCode = code, Subtotal = 90m, Test = test,
            BrowserIp = $"203.0.113.{customerId % 200}", // a browser each, or the velocity rule holds them for review
        }, H.WebhookUrl);
        await H.ProcessAsync();
        return H.Store.Orders(EngineHarness.Shop)[^1].Id;
    }

    [Test]
    public async Task EnrolOrderHoldIssueRefund_SendsTheLifecycle_ThenTheClawback()
    {
        await RegisterAsync();
        var jane = await H.EnrolJaneAsync();
        Assert.That(await NewAsync(), Is.EqualTo(new[] { EventTypes.ReferrerEnrolled }));

        var orderId = await FriendOrderAsync(jane.Code);
        Assert.That(await NewAsync(), Is.EqualTo(new[] { EventTypes.ReferralCreated }), "paid, in its hold: nothing more yet");

        await H.PassHoldAndIssueAsync();
        Assert.That(await NewAsync(), Is.EqualTo(new[] { EventTypes.ReferralApproved, EventTypes.RewardOwed, EventTypes.RewardIssued }));

        await H.Store.RefundAsync(EngineHarness.Shop, orderId, 90m, H.WebhookUrl);
        await H.ProcessAsync();
        Assert.That(await NewAsync(), Is.EqualTo(new[] { EventTypes.ReferralVoided }));
        await H.Get<ShopifyReferral.Rewards.Clawback>().RunOnceAsync(default);
        Assert.That(await NewAsync(), Is.EqualTo(new[] { EventTypes.RewardClawedBack }));

        var referral = H.Referral(orderId)!;
        var reward = H.Rewards().Single();
        var byType = _seen.ToDictionary(r => r.Type, r => r.Json.GetProperty("data"));
        Assert.That(byType[EventTypes.ReferralCreated].GetProperty("referral_id").GetInt64(), Is.EqualTo(referral.Id));
        Assert.That(byType[EventTypes.ReferralCreated].GetProperty("order_id").GetInt64(), Is.EqualTo(orderId));
        Assert.That(byType[EventTypes.ReferralCreated].GetProperty("referrer_customer_id").GetInt64(), Is.EqualTo(EngineHarness.JaneId));
        Assert.That(byType[EventTypes.ReferralCreated].GetProperty("customer_id").GetInt64(), Is.EqualTo(6001));
        Assert.That(byType[EventTypes.RewardIssued].GetProperty("reward_id").GetInt64(), Is.EqualTo((long)reward.id));
        Assert.That(byType[EventTypes.RewardIssued].GetProperty("code").GetString(), Is.EqualTo((string)reward.code));
        Assert.That(byType[EventTypes.RewardOwed].TryGetProperty("code", out _), Is.False, "a code is told once it is issued");
        Assert.That(byType[EventTypes.ReferralVoided].GetProperty("reason").GetString(), Is.EqualTo("The order was fully refunded."));
        Assert.That(byType[EventTypes.RewardClawedBack].GetProperty("reason").GetString(), Does.Contain("deactivated"));
        Assert.That(_seen.Select(r => r.WebhookId).Distinct().Count(), Is.EqualTo(_seen.Count), "one id per event");
        Assert.That(_seen.All(r => r.SignatureValid), Is.True);
        AssertNoPersonalData(_seen);
        Assert.That(StoredEvents().Select(e => e.Id), Is.EquivalentTo(_seen.Select(r => r.WebhookId)), "every event recorded was delivered");
    }

    [Test]
    public async Task SpentReward_ThenCancelled_SendsRedeemedThenLost()
    {
        await RegisterAsync();
        var jane = await H.EnrolJaneAsync();
        var orderId = await FriendOrderAsync(jane.Code);
        await H.PassHoldAndIssueAsync();
        await NewAsync();
        var code = (string)H.Rewards().Single().code;

        await FriendOrderAsync(code, EngineHarness.JaneId); // Jane spends her reward
        Assert.That(await NewAsync(), Is.EqualTo(new[] { EventTypes.RewardRedeemed }));
        Assert.That(_seen[^1].Json.GetProperty("data").GetProperty("order_id").GetInt64(), Is.EqualTo(H.Store.Orders(EngineHarness.Shop)[^1].Id));

        await H.Store.CancelOrderAsync(EngineHarness.Shop, orderId, H.WebhookUrl);
        await H.ProcessAsync();
        await H.Get<ShopifyReferral.Rewards.Clawback>().RunOnceAsync(default);
        Assert.That(await NewAsync(), Is.EqualTo(new[] { EventTypes.ReferralVoided, EventTypes.RewardLost }));
        Assert.That(_seen[^2].Json.GetProperty("data").GetProperty("reason").GetString(), Is.EqualTo("The order was cancelled."));
        AssertNoPersonalData(_seen);
    }

    [Test]
    public async Task Refusals_CarryTheRuleAndAReasonWithoutPersonalData()
    {
        await RegisterAsync();
        var jane = await H.EnrolJaneAsync();
        await FriendOrderAsync(jane.Code, test: true);
        Assert.That(await NewAsync(), Is.EqualTo(new[] { EventTypes.ReferrerEnrolled, EventTypes.ReferralCreated, EventTypes.ReferralRejected }));
        var data = _seen[^1].Json.GetProperty("data");
        Assert.That(data.GetProperty("rule").GetString(), Is.EqualTo("test_order"));
        Assert.That(data.GetProperty("reason").GetString(), Is.EqualTo(EventTypes.Reason("test_order")));

        // A merchant's rejection: their own words stay in the app.
        var second = await FriendOrderAsync(jane.Code, 6002);
        await NewAsync();
        Assert.That(await H.Get<ReferralReview>().RejectAsync(EngineHarness.Shop, H.Referral(second)!.Id, "Jane's cousin Sam, jane@example.com"), Is.True);
        Assert.That(await NewAsync(), Is.EqualTo(new[] { EventTypes.ReferralRejected }));
        Assert.That(_seen[^1].Json.GetProperty("data").GetProperty("rule").GetString(), Is.EqualTo("merchant"));
        AssertNoPersonalData(_seen);

        // Blocked during the hold: rejected by the release.
        var third = await FriendOrderAsync(jane.Code, 6003);
        await NewAsync();
        await H.Get<ReferrerService>().SetBlockedByIdAsync(EngineHarness.Shop, jane.Id, true, "reseller");
        await H.PassHoldAndIssueAsync();
        Assert.That(await NewAsync(), Is.EqualTo(new[] { EventTypes.ReferralRejected }));
        Assert.That(_seen[^1].Json.GetProperty("data").GetProperty("rule").GetString(), Is.EqualTo("blocked_referrer"));
        Assert.That(H.Referral(third)!.Status, Is.EqualTo("rejected"));
    }
}
