using ShopifyReferral.Referrals;
using ShopifyReferral.Rewards;

namespace ShopifyReferral.Tests.Engine;

/// <summary>A friend's order with a referrer's code, end to end: webhooks in, hold, reward coupon out in the sandbox.</summary>
public class ReferralFlowTests
{
    private const long OrderId = 5893217321195;
    private EngineHarness _h = null!;

    [SetUp]
    public async Task Start() => _h = await EngineHarness.StartAsync();

    [TearDown]
    public async Task Stop() { if (_h is not null) await _h.DisposeAsync(); }

    [Test]
    public async Task Enrol_SameCustomerTwice_SameCodeAndOneLiveDiscountCarryingTheFriendOffer()
    {
        var first = await _h.EnrolJaneAsync();
        var again = await _h.Get<ReferrerService>().EnrolAsync(EngineHarness.Shop, EngineHarness.JaneId, "jane.doe@example.com", "Jane", "Doe");
        var generated = await _h.Get<ReferrerService>().EnrolAsync(EngineHarness.Shop, 42, "ann.o@example.com", "Ann-Lou", null);

        Assert.That(again.Code, Is.EqualTo(first.Code));
        Assert.That(first.ShareLink, Is.EqualTo("https://demo-shop.myshopify.com/discount/SAMREF-7Q2K?redirect=/"));
        Assert.That(generated.Code, Does.Match("^ANNLOU-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}$"));
        var offer = _h.Store.Discounts(EngineHarness.Shop).Single(d => d.Codes.Contains("SAMREF-7Q2K"));
        Assert.That((offer.Percentage, offer.AppliesOncePerCustomer, offer.Status), Is.EqualTo(((decimal?)0.1m, true, "ACTIVE")));
        Assert.That((await _h.Get<ReferrerService>().FindAsync(EngineHarness.Shop, EngineHarness.JaneId))!.CodeStatus, Is.EqualTo("live"));
    }

    [Test]
    public async Task PaidOrderWithCode_AfterTheHold_ExactlyOneRewardCodeForTheReferrer()
    {
        await _h.EnrolJaneAsync();
        await _h.DeliverAsync("orders/create/with-code.json");
        Assert.That(_h.Referral(OrderId)!.Status, Is.EqualTo("pending"));
        await _h.DeliverAsync("orders/paid/with-code.json");
        var pending = _h.Referral(OrderId)!;
        Assert.That((pending.Status, pending.PaidAt is not null), Is.EqualTo(("pending", true)));
        Assert.That(await _h.Get<RewardIssuer>().RunOnceAsync(default), Is.EqualTo(0), "nothing before the hold ends");

        Assert.That(await _h.PassHoldAndIssueAsync(days: 13), Is.EqualTo(0), "13 days: still in the 14-day hold");
        Assert.That(await _h.PassHoldAndIssueAsync(days: 2), Is.EqualTo(1));

        var reward = _h.RewardDiscounts().Single();
        Assert.That(reward.Amount, Is.EqualTo(10m), "the default reward: 10 off");
        Assert.That(reward.CustomerGids, Is.EqualTo(new[] { $"gid://shopify/Customer/{EngineHarness.JaneId}" }));
        Assert.That(reward.UsageLimit, Is.EqualTo(1));
        Assert.That(reward.EndsAt, Is.EqualTo(_h.Time.GetUtcNow().AddDays(90)));
        Assert.That(_h.Referral(OrderId)!.Status, Is.EqualTo("rewarded"));
        Assert.That((string)_h.Rewards().Single().status, Is.EqualTo("issued"));

        Assert.That(await _h.PassHoldAndIssueAsync(), Is.EqualTo(0));
        Assert.That(_h.RewardDiscounts(), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task StoreCreditReward_CreditsTheReferrerOnce()
    {
        await _h.Get<ProgramStore>().SaveAsync(EngineHarness.Shop, new ProgramSettings { Reward = new(RewardType.StoreCredit, 15m) });
        _h.Store.AddCustomer(EngineHarness.Shop, "jane.doe@example.com", id: EngineHarness.JaneId);
        await _h.EnrolJaneAsync();
        await _h.DeliverAsync("orders/paid/with-code.json");
        Assert.That(await _h.PassHoldAndIssueAsync(), Is.EqualTo(1));
        await _h.PassHoldAndIssueAsync();
        Assert.That(_h.Store.StoreCreditBalance(EngineHarness.Shop, EngineHarness.JaneId, "USD"), Is.EqualTo(15m));
        Assert.That(_h.RewardDiscounts(), Is.Empty);
    }

    private static readonly string[] Lifecycle = ["orders/create/with-code.json", "orders/paid/with-code.json", "orders/updated/with-code.json"];

    private static IEnumerable<string[]> Orders() =>
        from a in Lifecycle from b in Lifecycle from c in Lifecycle
        where a != b && b != c && a != c
        select new[] { a, b, c };

    [TestCaseSource(nameof(Orders))]
    public async Task SameOrderThroughThreeTopics_AnyOrderAndDuplicated_OneReferralSameOutcome(string first, string second, string third)
    {
        await _h.EnrolJaneAsync();
        foreach (var file in new[] { first, second, third, second, first }) await _h.DeliverAsync(file);
        var referral = _h.Referral(OrderId)!;
        Assert.That(referral.Status, Is.EqualTo("pending"));
        Assert.That(await ReferralStore.ChecksAsync(_h.Get<ShopifyReferral.Data.Db>(), referral.Id, default), Has.Count.EqualTo(7));
        Assert.That(_h.App.Count("SELECT COUNT(*) FROM referrals"), Is.EqualTo(1));
    }

    [Test]
    public async Task CancelledDuringHold_VoidedAndNoReward()
    {
        await _h.EnrolJaneAsync();
        await _h.DeliverAsync("orders/paid/with-code.json");
        await _h.DeliverAsync("orders/cancelled/with-code.json");
        Assert.That(_h.Referral(OrderId)!.Status, Is.EqualTo("voided"));
        Assert.That(_h.Referral(OrderId)!.StatusReason, Is.EqualTo("The order was cancelled."));
        Assert.That(await _h.PassHoldAndIssueAsync(), Is.EqualTo(0));
        Assert.That(_h.RewardDiscounts(), Is.Empty);
    }

    [Test]
    public async Task PartialRefundUnderTheMinimum_Voided_AndAboveIt_Kept()
    {
        await _h.Get<ProgramStore>().SaveAsync(EngineHarness.Shop, new ProgramSettings { MinimumOrderSubtotal = 70m });
        await _h.EnrolJaneAsync();
        await _h.DeliverAsync("orders/paid/with-code.json");
        Assert.That(_h.Referral(OrderId)!.Status, Is.EqualTo("pending"), "80.00 meets 70.00");
        await _h.DeliverAsync("refunds/create/partial.json");
        Assert.That(_h.Referral(OrderId)!.Status, Is.EqualTo("voided"));
        Assert.That(_h.Referral(OrderId)!.StatusReason, Does.Contain("64.00").And.Contain("under the minimum of 70.00"),
            "80.00 less the refunded socks (16.00); the refund's tax is not part of the subtotal");
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task PartialRefundAndTheUpdatedOrder_CountTheRefundOnce_InEitherOrder(bool refundFirst)
    {
        // 80.00 - 16.00 = 64.00 stays above 60.00. Subtracting the refund from the already-lowered
        // current_subtotal_price as well would give 48.00 and void an order that still qualifies.
        await _h.Get<ProgramStore>().SaveAsync(EngineHarness.Shop, new ProgramSettings { MinimumOrderSubtotal = 60m });
        await _h.EnrolJaneAsync();
        await _h.DeliverAsync("orders/paid/with-code.json");
        Task Updated() => _h.DeliverEditedAsync("orders/updated/with-code.json", o =>
        {
            o["updated_at"] = "2026-11-24T14:30:25-05:00";
            o["current_subtotal_price"] = "64.00";
            o["financial_status"] = "partially_refunded";
        });
        if (refundFirst) await _h.DeliverAsync("refunds/create/partial.json");
        await Updated();
        if (!refundFirst) await _h.DeliverAsync("refunds/create/partial.json");
        Assert.That(_h.Referral(OrderId)!.Status, Is.EqualTo("pending"));
    }

    [Test]
    public async Task RefundAfterTheReward_UnusedCodeIsDeactivated_UsedCodeIsALoss()
    {
        await _h.EnrolJaneAsync();
        await _h.DeliverAsync("orders/paid/with-code.json");
        await _h.PassHoldAndIssueAsync();
        await _h.DeliverAsync("refunds/create/full.json");
        Assert.That(_h.Referral(OrderId)!.Status, Is.EqualTo("voided"));
        Assert.That(await _h.Get<Clawback>().RunOnceAsync(default), Is.EqualTo(1));
        Assert.That((string)_h.Rewards().Single().status, Is.EqualTo("clawed_back"));
        Assert.That(_h.RewardDiscounts().Single().Status, Is.EqualTo("EXPIRED"));
        Assert.That(await _h.Get<Clawback>().RunOnceAsync(default), Is.EqualTo(0));
    }
}

/// <summary>A webhook Shopify never delivered is picked up by reconciliation, through the same idempotent path.</summary>
public class ReconciliationTests
{
    [Test]
    public async Task OrderWhoseWebhooksNeverCame_IsFoundAndRewardedOnce()
    {
        await using var h = await EngineHarness.StartAsync();
        await h.EnrolJaneAsync();
        var lost = h.Store.RecordOrder(EngineHarness.Shop, new ShopifyReferral.Sandbox.SandboxOrder
        {
            CustomerId = 9100, Email = "quiet.friend@example.com", DiscountCode = "SAMREF-7Q2K",
        });
        await h.Store.PlaceOrderAsync(EngineHarness.Shop, new ShopifyReferral.Sandbox.SandboxOrder { CustomerId = 9101, Email = "no.code@example.com" }, h.WebhookUrl);
        h.Time.Advance(TimeSpan.FromMinutes(1));

        var reconciler = h.Get<Reconciler>();
        Assert.That(await reconciler.RunOnceAsync(default), Is.EqualTo(1), "only the order with a code that the app had not seen");
        await h.ProcessAsync();
        Assert.That(h.Referral(lost.Id)!.Status, Is.EqualTo("pending"));

        Assert.That(await reconciler.RunOnceAsync(default), Is.EqualTo(0), "a second run adds nothing");
        await h.PassHoldAndIssueAsync();
        Assert.That(h.Referral(lost.Id)!.Status, Is.EqualTo("rewarded"));
        Assert.That(h.RewardDiscounts(), Has.Count.EqualTo(1));
    }
}
