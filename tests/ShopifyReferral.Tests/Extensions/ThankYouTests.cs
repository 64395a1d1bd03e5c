using System.Net;
using Dapper;
using ShopifyReferral.Referrals;
using ShopifyReferral.Sandbox;
using ShopifyReferral.Tests.Engine;

namespace ShopifyReferral.Tests.Extensions;

/// <summary>
/// POST /extensions/referral over real HTTP, the app asking the sandbox store about the order: the buyer gets one
/// code however the call and orders/paid interleave, guests and ineligible buyers get a clear empty answer.
/// </summary>
public class ThankYouTests
{
    private const long Buyer = 401;
    private EngineHarness _h = null!;
    private ExtensionClient _x = null!;

    [TearDown]
    public async Task Stop() { if (_h is not null) await _h.DisposeAsync(); }

    private async Task StartAsync(ProgramSettings? program = null)
    {
        _h = await EngineHarness.StartAsync(program);
        _x = new ExtensionClient(_h);
    }

    private string BuyerToken(long? customer = Buyer) =>
        _h.Store.IssueExtensionToken(EngineHarness.Shop, customer is { } c ? ExtensionClient.Customer(c) : null);

    private async Task<System.Text.Json.JsonElement> AskAsync(long orderId, long? customer = Buyer)
    {
        var (status, body, _) = await _x.ReferralAsync(BuyerToken(customer), new { orderId = ExtensionClient.Order(orderId) });
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToString());
        return body;
    }

    private async Task<long> PlaceOrderAsync(SandboxOrder order)
    {
        // The webhooks are received and stored, but no worker runs: the extension's call comes first, as it usually does.
        await _h.Store.PlaceOrderAsync(EngineHarness.Shop, order, _h.WebhookUrl);
        return _h.Store.Orders(EngineHarness.Shop).Last().Id;
    }

    [Test]
    public async Task BeforeTheWebhook_EnrolsTheBuyer_ThenAutoEnrolmentOnOrdersPaidKeepsTheSameReferrer()
    {
        await StartAsync(new ProgramSettings { AutoEnrolPayingCustomers = true });
        var order = await PlaceOrderAsync(new SandboxOrder { CustomerId = Buyer, FirstName = "Sam", Email = "sam@example.com" });

        var answer = await AskAsync(order);
        Assert.That(answer.GetProperty("show").GetBoolean(), Is.True);
        var code = answer.GetProperty("code").GetString()!;
        Assert.That(code, Does.StartWith("SAM-"), "named from the buyer the Admin API reported");
        Assert.That(answer.GetProperty("shareUrl").GetString(), Does.Contain($"/r/{code}?ch=copy&s=demo-shop"));
        Assert.That(answer.GetProperty("channels").EnumerateArray().Select(c => c.GetProperty("channel").GetString()),
            Is.EqualTo(new[] { "copy", "whatsapp", "email", "x", "facebook" }));
        foreach (var c in answer.GetProperty("channels").EnumerateArray())
            Assert.That(Uri.UnescapeDataString(c.GetProperty("url").GetString()!), Does.Contain($"ch={c.GetProperty("channel").GetString()}"));
        Assert.That(answer.GetProperty("offer").GetString(), Does.StartWith("Your friend gets 10% off"));
        Assert.That(answer.GetProperty("joinedThroughFriend").GetBoolean(), Is.False);

        await _h.ProcessAsync(); // orders/create and orders/paid now arrive; auto-enrolment finds the referrer
        using var db = _h.App.OpenDb();
        Assert.That(db.Query<string>("SELECT code FROM referrers WHERE customer_id = @Buyer", new { Buyer }), Is.EqualTo(new[] { code }));
        Assert.That((await AskAsync(order)).GetProperty("code").GetString(), Is.EqualTo(code), "a reload answers the same code");
    }

    [Test]
    public async Task AfterTheWebhook_AnswersTheCodeAutoEnrolmentGave()
    {
        await StartAsync(new ProgramSettings { AutoEnrolPayingCustomers = true });
        var order = await PlaceOrderAsync(new SandboxOrder { CustomerId = Buyer });
        await _h.ProcessAsync();
        var enrolled = (await _h.Get<ReferrerService>().FindAsync(EngineHarness.Shop, Buyer))!;

        Assert.That((await AskAsync(order)).GetProperty("code").GetString(), Is.EqualTo(enrolled.Code));
        Assert.That(_x.Referrers(), Is.EqualTo(1));
    }

    [Test]
    public async Task TwoCallsAtOnce_OneReferrer_OneCodeAtShopify()
    {
        await StartAsync();
        var order = await PlaceOrderAsync(new SandboxOrder { CustomerId = Buyer });

        var answers = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => AskAsync(order)));
        Assert.That(answers.Select(a => a.GetProperty("code").GetString()).Distinct().Count(), Is.EqualTo(1));
        Assert.That(_x.Referrers(), Is.EqualTo(1));

        await _h.Get<ReferrerCodeSync>().RunOnceAsync(default);
        var code = answers[0].GetProperty("code").GetString()!;
        Assert.That(_h.Store.Discounts(EngineHarness.Shop).Count(d => d.Codes.Contains(code)), Is.EqualTo(1));
        Assert.That((await AskAsync(order)).GetProperty("codeReady").GetBoolean(), Is.True, "live once the code exists at Shopify");
    }

    [Test]
    public async Task AnOrderThatUsedAFriendsCode_ThanksTheBuyerForJoiningThroughAFriend()
    {
        await StartAsync();
        var jane = await _h.EnrolJaneAsync();
        var order = await PlaceOrderAsync(new SandboxOrder { CustomerId = Buyer, DiscountCode = jane.Code });

        var answer = await AskAsync(order);
        Assert.That(answer.GetProperty("joinedThroughFriend").GetBoolean(), Is.True);
        Assert.That(answer.GetProperty("code").GetString(), Is.Not.EqualTo(jane.Code), "the buyer gets a code of their own");
    }

    [Test]
    public async Task Guest_GetsAClearEmptyAnswer()
    {
        await StartAsync();
        var order = await PlaceOrderAsync(new SandboxOrder { CustomerId = null });
        var answer = await AskAsync(order, customer: null);
        Assert.That((answer.GetProperty("show").GetBoolean(), answer.GetProperty("reason").GetString()), Is.EqualTo((false, "guest")));
        Assert.That(answer.TryGetProperty("code", out var code) ? code.ValueKind : System.Text.Json.JsonValueKind.Null, Is.EqualTo(System.Text.Json.JsonValueKind.Null));
        Assert.That(_x.Referrers(), Is.Zero);
    }

    [Test]
    public async Task PayingCustomersOnly_AnUnpaidOrderWaits_ThenThePaidOrderEnrols()
    {
        await StartAsync(new ProgramSettings { PayingCustomersOnly = true });
        var pending = _h.Store.RecordOrder(EngineHarness.Shop, new SandboxOrder { CustomerId = Buyer }, paid: false);
        var answer = await AskAsync(pending.Id);
        Assert.That((answer.GetProperty("show").GetBoolean(), answer.GetProperty("reason").GetString()), Is.EqualTo((false, "not_paid")));
        Assert.That(_x.Referrers(), Is.Zero);

        var paid = _h.Store.RecordOrder(EngineHarness.Shop, new SandboxOrder { CustomerId = Buyer });
        Assert.That((await AskAsync(paid.Id)).GetProperty("show").GetBoolean(), Is.True);
    }

    [Test]
    public async Task ProgramOff_ShowsNothing_AndEnrolsNobody()
    {
        await StartAsync(new ProgramSettings { Enabled = false });
        var order = await PlaceOrderAsync(new SandboxOrder { CustomerId = Buyer });
        var answer = await AskAsync(order);
        Assert.That((answer.GetProperty("show").GetBoolean(), answer.GetProperty("reason").GetString()), Is.EqualTo((false, "program_off")));
        Assert.That(_x.Referrers(), Is.Zero);
    }

    [Test]
    public async Task ALoggedInBuyer_CannotAskAboutAnotherCustomersOrder()
    {
        await StartAsync();
        var order = await PlaceOrderAsync(new SandboxOrder { CustomerId = Buyer });
        var (status, body, _) = await _x.ReferralAsync(BuyerToken(customer: 999), new { orderId = ExtensionClient.Order(order) });
        Assert.That(status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(body.GetProperty("type").GetString(), Does.EndWith("/order-not-yours"));
        Assert.That(_x.Referrers(), Is.Zero);
    }

    [Test]
    public async Task ABuyerWhoWasNotLoggedIn_GetsOnlyARecentOrder()
    {
        await StartAsync();
        var order = await PlaceOrderAsync(new SandboxOrder { CustomerId = Buyer });
        _h.Time.Advance(TimeSpan.FromDays(2));
        var answer = await AskAsync(order, customer: null);
        Assert.That((answer.GetProperty("show").GetBoolean(), answer.GetProperty("reason").GetString()), Is.EqualTo((false, "not_recent")));
        Assert.That(_x.Referrers(), Is.Zero);
    }

    [TestCase("5893217321195")]
    [TestCase("gid://shopify/Customer/1")]
    [TestCase("")]
    public async Task NotAnOrderGid_400NamingOrderId(string orderId)
    {
        await StartAsync();
        var (status, body, _) = await _x.ReferralAsync(BuyerToken(), new { orderId });
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body.GetProperty("errors").TryGetProperty("orderId", out _), Is.True, body.ToString());
    }

    [Test]
    public async Task AnOrderTheShopDoesNotHave_404()
    {
        await StartAsync();
        var (status, body, _) = await _x.ReferralAsync(BuyerToken(), new { orderId = ExtensionClient.Order(1234567) });
        Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(body.GetProperty("type").GetString(), Does.EndWith("/order-not-found"));
    }
}
