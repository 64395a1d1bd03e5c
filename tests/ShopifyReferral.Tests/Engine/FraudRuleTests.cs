using ShopifyReferral.Referrals;
using ShopifyReferral.Sandbox;

namespace ShopifyReferral.Tests.Engine;

/// <summary>Each rule catches its case with a reason a merchant can read; the honest order passes them all.</summary>
public class FraudRuleTests
{
    private EngineHarness _h = null!;

    [SetUp]
    public async Task Start() => _h = await EngineHarness.StartAsync();

    private const string JanesBrowser = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15";

    [TearDown]
    public async Task Stop() { if (_h is not null) await _h.DisposeAsync(); }

    private async Task<(Referral Referral, IReadOnlyList<Check> Checks)> Judged(long orderId)
    {
        var referral = _h.Referral(orderId)!;
        return (referral, await ReferralStore.ChecksAsync(_h.Get<ShopifyReferral.Data.Db>(), referral.Id, default));
    }

    private async Task<long> PlaceAsync(long customerId, string email, string ip = "198.51.100.20", decimal subtotal = 90m, string? userAgent = null)
    {
        var deliveries = await _h.Store.PlaceOrderAsync(EngineHarness.Shop, new SandboxOrder
        {
            CustomerId = customerId, Email = email, DiscountCode = "samref-7q2k", Subtotal = subtotal, BrowserIp = ip,
            UserAgent = userAgent ?? new SandboxOrder().UserAgent,
        }, _h.WebhookUrl);
        Assert.That(deliveries.All(d => d.Succeeded));
        await _h.ProcessAsync();
        return _h.Store.Orders(EngineHarness.Shop)[^1].Id;
    }

    [Test]
    public async Task HonestFriend_PassesEveryRule()
    {
        await _h.EnrolJaneAsync();
        await _h.DeliverAsync("orders/paid/with-code.json");
        var (referral, checks) = await Judged(5893217321195);
        Assert.That(referral.Status, Is.EqualTo("pending"));
        Assert.That(checks.Select(c => c.Rule), Is.EquivalentTo(new[] { "blocked_referrer", "cap", "friend_not_new", "minimum", "self_referral", "test_order", "velocity" }));
        Assert.That(checks.Select(c => c.Outcome).Distinct(), Is.EqualTo(new[] { "pass" }));
    }

    [Test]
    public async Task SelfReferral_SameCustomer_Rejected()
    {
        await _h.EnrolJaneAsync();
        await _h.DeliverAsync("orders/paid/self-referral.json");
        var (referral, checks) = await Judged(5893217485163);
        Assert.That(referral.Status, Is.EqualTo("rejected"));
        Assert.That(checks.Single(c => c.Rule == "self_referral").Evidence, Does.Contain("referrer's own customer account"));
    }

    [TestCase("Jane.Doe+shop@example.com", "jane.doe@example.com")]
    [TestCase("j.a.n.e.doe+x@googlemail.com", "janedoe@gmail.com")]
    public async Task SelfReferral_SameMailboxAnotherAccount_Rejected(string orderEmail, string referrerEmail)
    {
        await _h.Get<ReferrerService>().EnrolAsync(EngineHarness.Shop, EngineHarness.JaneId, referrerEmail, "Jane", "Doe", code: "SAMREF-7Q2K");
        await _h.Get<ReferrerCodeSync>().RunOnceAsync(default);
        var order = await PlaceAsync(777, orderEmail);
        var (referral, checks) = await Judged(order);
        Assert.That(referral.Status, Is.EqualTo("rejected"));
        Assert.That(checks.Single(c => c.Rule == "self_referral").Evidence, Does.Contain("written differently"));
    }

    [Test]
    public async Task SelfReferral_SameDeviceAsReferrersOwnOrder_Rejected()
    {
        await _h.EnrolJaneAsync();
        await _h.DeliverAsync("orders/paid/self-referral.json"); // Jane's own order, from 203.0.113.51 with this browser
        var order = await PlaceAsync(888, "someone.else@example.com", ip: "203.0.113.51", userAgent: JanesBrowser);
        var (referral, checks) = await Judged(order);
        Assert.That(referral.Status, Is.EqualTo("rejected"));
        Assert.That(checks.Single(c => c.Rule == "self_referral").Evidence, Does.Contain("same IP address (203.0.113.51) and browser"));
    }

    [Test]
    public async Task FriendNotNew_ShopifyCountsEarlierOrders_Rejected()
    {
        await _h.EnrolJaneAsync();
        _h.Store.AddCustomer(EngineHarness.Shop, "friend@example.com", numberOfOrders: 3, id: 207119551);
        await _h.DeliverAsync("orders/paid/with-code.json");
        var (referral, checks) = await Judged(5893217321195);
        Assert.That(referral.Status, Is.EqualTo("rejected"));
        Assert.That(checks.Single(c => c.Rule == "friend_not_new").Evidence, Does.Contain("Shopify counts 3 orders"));
    }

    [Test]
    public async Task FriendNotNew_EarlierGuestOrderUnderATaggedMailbox_Rejected()
    {
        await _h.EnrolJaneAsync();
        // Sam bought as a guest the day before, as Friend+old@Example.com; Shopify knows no customer to count.
        await _h.DeliverEditedAsync("orders/paid/without-code.json", o =>
        {
            o["customer"] = null;
            o["email"] = "Friend+old@Example.com";
            o["name"] = "#1100";
            o["created_at"] = "2026-11-20T09:00:00-05:00";
        });
        await _h.DeliverAsync("orders/paid/with-code.json");
        var (referral, checks) = await Judged(5893217321195);
        Assert.That(referral.Status, Is.EqualTo("rejected"));
        Assert.That(checks.Single(c => c.Rule == "friend_not_new").Evidence, Does.Contain("already ordered before (#1100)"));
    }

    [Test]
    public async Task FriendNotNew_ShopifyUnavailable_RetriedThroughTheInboxNotRejected()
    {
        await _h.EnrolJaneAsync();
        _h.Store.Faults(EngineHarness.Shop).FailNext(50, 503);
        await _h.DeliverAsync("orders/paid/with-code.json");
        var referral = _h.Referral(5893217321195)!;
        Assert.That((referral.Status, referral.PaidAt), Is.EqualTo(("pending", (long?)null)), "not judged on a guess");
        Assert.That(_h.App.Count("SELECT COUNT(*) FROM webhook_inbox WHERE status = 'pending' AND last_error LIKE '%503%'"), Is.EqualTo(1));

        _h.Store.Faults(EngineHarness.Shop).Clear();
        _h.Time.Advance(TimeSpan.FromMinutes(5)); // the inbox's backoff
        await _h.ProcessAsync();
        var (judged, checks) = await Judged(5893217321195);
        Assert.That(judged.Status, Is.EqualTo("pending"));
        Assert.That(judged.PaidAt, Is.Not.Null);
        Assert.That(checks.Single(c => c.Rule == "friend_not_new").Outcome, Is.EqualTo("pass"));
    }

    [Test]
    public async Task FriendNotNew_NotAppliedWhenTheProgramAllowsReturningCustomers()
    {
        await _h.Get<ProgramStore>().SaveAsync(EngineHarness.Shop, new ProgramSettings { NewCustomersOnly = false });
        await _h.EnrolJaneAsync();
        _h.Store.AddCustomer(EngineHarness.Shop, "friend@example.com", numberOfOrders: 3, id: 207119551);
        await _h.DeliverAsync("orders/paid/with-code.json");
        Assert.That(_h.Referral(5893217321195)!.Status, Is.EqualTo("pending"));
    }

    [Test]
    public async Task Velocity_ThirdFriendFromOneIpInADay_HeldForReview()
    {
        await _h.EnrolJaneAsync();
        await PlaceAsync(1001, "a@example.com", ip: "198.51.100.9");
        await PlaceAsync(1002, "b@example.com", ip: "198.51.100.9");
        var third = await PlaceAsync(1003, "c@example.com", ip: "198.51.100.9");
        var (referral, checks) = await Judged(third);
        Assert.That(referral.Status, Is.EqualTo("review"));
        Assert.That(checks.Single(c => c.Rule == "velocity").Evidence, Does.StartWith("3 friends of this referrer ordered from IP 198.51.100.9"));
    }

    [Test]
    public async Task Velocity_PastTheLimit_SaysAtLeast_AndStillHolds()
    {
        await _h.EnrolJaneAsync();
        for (var i = 0; i < 4; i++) await PlaceAsync(1001 + i, $"f{i}@example.com", ip: "198.51.100.9");
        var fifth = await PlaceAsync(1005, "e@example.com", ip: "198.51.100.9");
        var (referral, checks) = await Judged(fifth);
        Assert.That(referral.Status, Is.EqualTo("review"));
        Assert.That(checks.Single(c => c.Rule == "velocity").Evidence, Is.EqualTo("At least 4 friends of this referrer ordered from IP 198.51.100.9 within a day (limit 2)."));
    }

    [Test]
    public async Task BlockedReferrer_Rejected()
    {
        await _h.EnrolJaneAsync();
        await _h.Get<ReferrerService>().SetBlockedAsync(EngineHarness.Shop, EngineHarness.JaneId, true, "coupon-site posting");
        await _h.DeliverAsync("orders/paid/with-code.json");
        var (referral, _) = await Judged(5893217321195);
        Assert.That((referral.Status, referral.StatusReason), Is.EqualTo(("rejected", "The referrer is blocked: coupon-site posting.")));
    }

    [Test]
    public async Task TestOrder_Rejected()
    {
        await _h.EnrolJaneAsync();
        await _h.DeliverAsync("orders/paid/test-order.json");
        Assert.That(_h.Referral(5893217419627)!.StatusReason, Is.EqualTo("This was a test order; test orders never earn rewards."));
    }

    [Test]
    public async Task UnderMinimum_Rejected()
    {
        await _h.Get<ProgramStore>().SaveAsync(EngineHarness.Shop, new ProgramSettings { MinimumOrderSubtotal = 100m });
        await _h.EnrolJaneAsync();
        await _h.DeliverAsync("orders/paid/with-code.json");
        Assert.That(_h.Referral(5893217321195)!.StatusReason, Does.Contain("under the program's minimum of 100.00"));
    }

    [Test]
    public async Task YearlyCap_SecondReferralOverACapOfOne_Rejected()
    {
        await _h.Get<ProgramStore>().SaveAsync(EngineHarness.Shop, new ProgramSettings { YearlyCapPerReferrer = 1 });
        await _h.EnrolJaneAsync();
        var first = await PlaceAsync(2001, "first@example.com");
        var second = await PlaceAsync(2002, "second@example.com", ip: "198.51.100.21");
        Assert.That(_h.Referral(first)!.Status, Is.EqualTo("pending"));
        Assert.That(_h.Referral(second)!.Status, Is.EqualTo("rejected"));
        Assert.That(_h.Referral(second)!.StatusReason, Does.Contain("yearly cap is 1"));
    }

    [Test]
    public async Task ReviewThenMerchantApproves_RewardAfterTheHold()
    {
        await _h.EnrolJaneAsync();
        for (var i = 0; i < 3; i++) await PlaceAsync(3001 + i, $"f{i}@example.com", ip: "198.51.100.77");
        var held = _h.Referral(_h.Store.Orders(EngineHarness.Shop)[^1].Id)!;
        Assert.That(held.Status, Is.EqualTo("review"));
        Assert.That(await _h.Get<ReferralReview>().ApproveAsync(EngineHarness.Shop, held.Id, "the friends share an office"), Is.True);
        Assert.That(await _h.Get<ReferralReview>().ApproveAsync("other-shop.myshopify.com", held.Id, null), Is.False, "another shop cannot touch it");
        await _h.PassHoldAndIssueAsync();
        Assert.That(_h.Referral(held.OrderId)!.Status, Is.EqualTo("rewarded"));
        Assert.That(_h.RewardDiscounts(), Has.Count.EqualTo(3));
    }
}
