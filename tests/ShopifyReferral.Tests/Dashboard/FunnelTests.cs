using System.Net;
using System.Text.Json;
using ShopifyReferral.Sandbox;
using ShopifyReferral.Tests.Engine;
using ShopifyReferral.Tests.Extensions;
using ShopifyReferral.Tests.Infrastructure;
using static ShopifyReferral.Tests.Dashboard.Seed;

namespace ShopifyReferral.Tests.Dashboard;

/// <summary>
/// The funnel (`funnel` in GET /api/analytics) worked out by hand, every step made the way a shopper makes it: the
/// signed app-proxy page, the thank-you block and the account page called with session tokens, the tracked links
/// clicked over HTTP, the orders placed at the sandbox store with the landing_site the redirect leads to and
/// delivered as signed webhooks, the hold passed and the rewards issued. Range 2026-11-22..2026-12-08.
///
/// Nov 22: referral page viewed 3 times, the thank-you block shown once (buyer 401's order; a guest's order hides
/// the block: no view), the account page opened twice (Jane). Jane's link clicked on email 2×, whatsapp 1×, without
/// a channel 1× (direct). Friends order with her code SAMREF-7Q2K:
///   F1 landed on the email redirect → email · F2 whatsapp → whatsapp · F3 typed the code (landing "/") → code ·
///   F4 a link edited to ref_ch=tiktok → other · F7 email, rejected by the merchant → not referred, not in the funnel ·
///   F5 landed on the email redirect but used no code → not referred.
/// The 14-day hold passes (Dec 7): F1–F4 are rewarded. Then F6 orders through the email redirect → in its hold.
/// An order of Nov 23 whose referral is from before channels were recorded (seeded, channel NULL) → unknown.
///
///   page views = 3 + 1 + 2 = 6
///   email:    2 clicks, 2 orders (F1, F6), 1 rewarded → conversion 2 / 2 = 100.00 %, rewarded 1 / 2 = 50.00 %
///   whatsapp: 1 click, 1 order, 1 rewarded → 100.00 %, 100.00 %
///   direct:   1 click, 0 orders → 0.00 %, rewarded null
///   other:    0 clicks, 1 order (F4), 1 rewarded → conversion null, 100.00 %
///   code:     0 clicks, 1 order (F3), 1 rewarded → null, 100.00 %
///   unknown:  0 clicks, 1 order, 0 rewarded → null, 0.00 %
///   total:    4 clicks, 6 orders, 4 rewarded → conversion 6 / 4 = 150.00 %, rewarded 4 / 6 = 66.67 %
/// </summary>
public class FunnelTests
{
    private EngineHarness _h = null!;
    private JsonElement _f;

    [OneTimeSetUp]
    public async Task MakeEveryStepAndFetch()
    {
        _h = await EngineHarness.StartAsync();
        var x = new ExtensionClient(_h);
        var jane = await _h.EnrolJaneAsync();
        using var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = _h.Http.BaseAddress };

        for (var i = 0; i < 3; i++)
        {
            var page = await browser.GetAsync("/proxy" + ProxyQuery.Signed(EngineHarness.Shop, null, _h.Time.GetUtcNow(), _h.Store.Options.ClientSecret));
            Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
        var own = await PlaceAsync(new SandboxOrder { CustomerId = 401, BrowserIp = "198.51.100.1" });
        var shown = await x.ReferralAsync(_h.Store.IssueExtensionToken(EngineHarness.Shop, ExtensionClient.Customer(401)), new { orderId = ExtensionClient.Order(own) });
        Assert.That(shown.Body.GetProperty("show").GetBoolean(), Is.True, shown.Body.ToString());
        var guest = await PlaceAsync(new SandboxOrder { CustomerId = null, BrowserIp = "198.51.100.2" });
        var hidden = await x.ReferralAsync(_h.Store.IssueExtensionToken(EngineHarness.Shop, null), new { orderId = ExtensionClient.Order(guest) });
        Assert.That(hidden.Body.GetProperty("show").GetBoolean(), Is.False, hidden.Body.ToString());
        for (var i = 0; i < 2; i++)
            Assert.That((await x.ReferrerAsync(_h.Store.IssueExtensionToken(EngineHarness.Shop, ExtensionClient.Customer(EngineHarness.JaneId)))).Status, Is.EqualTo(HttpStatusCode.OK));

        async Task<string> ClickAsync(string query)
        {
            var response = await browser.GetAsync($"/r/{jane.Code}?s=demo-shop{query}");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Found));
            return response.Headers.Location!.PathAndQuery; // landing_site is the path Shopify's storefront was first asked for
        }
        var email = await ClickAsync("&ch=email");
        Assert.That(email, Is.EqualTo($"/discount/{jane.Code}?redirect=/&ref_ch=email"));
        await ClickAsync("&ch=email");
        var whatsapp = await ClickAsync("&ch=whatsapp");
        await ClickAsync("");

        await PlaceAsync(Friend(501, email));
        await PlaceAsync(Friend(502, whatsapp));
        await PlaceAsync(Friend(503, "/"));
        await PlaceAsync(Friend(504, $"/discount/{jane.Code}?redirect=%2F&ref_ch=tiktok"));
        var f7 = await PlaceAsync(Friend(507, email));
        await PlaceAsync(Friend(505, email) with { DiscountCode = null });
        await _h.ProcessAsync();
        var (status, body) = await _h.ApiAsync(HttpMethod.Post, $"/api/referrals/{_h.Referral(f7)!.Id}/reject", new { reason = "Same household as the referrer." });
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToString());

        await _h.PassHoldAndIssueAsync();
        await PlaceAsync(Friend(506, email));
        await _h.ProcessAsync();
        using (var db = _h.App.OpenDb())
        {
            var seed = new Seed(db, EngineHarness.Shop);
            seed.Referral(seed.Order(508, Noon(11, 23), "70.00"), jane.Id, "approved", Noon(11, 23));
        }

        (status, body) = await _h.ApiAsync(HttpMethod.Get, "/api/analytics?from=2026-11-22&to=2026-12-08&interval=week");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToString());
        _f = body.GetProperty("funnel");
    }

    [OneTimeTearDown]
    public async Task Stop() { if (_h is not null) await _h.DisposeAsync(); }

    private static SandboxOrder Friend(long customer, string landingSite) => new()
    {
        CustomerId = customer, Email = $"friend{customer}@example.com", DiscountCode = "SAMREF-7Q2K", LandingSite = landingSite,
        BrowserIp = $"203.0.113.{customer % 100}", // one friend per address: the velocity rule stays out of it
    };

    private async Task<long> PlaceAsync(SandboxOrder order)
    {
        await _h.Store.PlaceOrderAsync(EngineHarness.Shop, order, _h.WebhookUrl);
        return _h.Store.Orders(EngineHarness.Shop)[^1].Id;
    }

    private static (long, long, long, decimal?, decimal?) Step(JsonElement c) =>
        (c.GetProperty("shareClicks").GetInt64(), c.GetProperty("referredOrders").GetInt64(), c.GetProperty("rewardedReferrals").GetInt64(),
         Rate(c.GetProperty("conversionRate")), Rate(c.GetProperty("rewardedRate")));

    private static decimal? Rate(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetDecimal();

    [Test]
    public void PageViews_BySurface()
    {
        var s = _f.GetProperty("pageViewsBySurface");
        Assert.That((s.GetProperty("referral_page").GetInt64(), s.GetProperty("thank_you").GetInt64(), s.GetProperty("account").GetInt64()),
            Is.EqualTo((3L, 1L, 2L)));
        Assert.That(_f.GetProperty("pageViews").GetInt64(), Is.EqualTo(6));
    }

    [Test]
    public void Channels_InTheDashboardsOrder() =>
        Assert.That(_f.GetProperty("channels").EnumerateArray().Select(c => c.GetProperty("channel").GetString()),
            Is.EqualTo(new[] { "email", "whatsapp", "direct", "other", "code", "unknown" }), "the share buttons' order, then the rest");

    [TestCase("email", 2, 2, 1, 100.00, 50.00)]
    [TestCase("whatsapp", 1, 1, 1, 100.00, 100.00)]
    [TestCase("direct", 1, 0, 0, 0.00, null)]
    [TestCase("other", 0, 1, 1, null, 100.00)]
    [TestCase("code", 0, 1, 1, null, 100.00)]
    [TestCase("unknown", 0, 1, 0, null, 0.00)]
    public void PerChannel(string channel, long clicks, long orders, long rewarded, double? conversion, double? rewardedRate)
    {
        var c = _f.GetProperty("channels").EnumerateArray().Single(c => c.GetProperty("channel").GetString() == channel);
        Assert.That(Step(c), Is.EqualTo((clicks, orders, rewarded, (decimal?)conversion, (decimal?)rewardedRate)));
    }

    [Test]
    public void Total() => Assert.That(Step(_f.GetProperty("total")), Is.EqualTo((4L, 6L, 4L, (decimal?)150.00m, (decimal?)66.67m)));
}
