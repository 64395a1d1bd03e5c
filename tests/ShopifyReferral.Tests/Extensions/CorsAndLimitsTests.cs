using System.Net;
using ShopifyReferral.Sandbox;
using ShopifyReferral.Tests.Engine;

namespace ShopifyReferral.Tests.Extensions;

/// <summary>The extensions call from Shopify's origin: preflights are answered, every answer is readable cross-origin, and each shop is rate-limited.</summary>
public class CorsAndLimitsTests
{
    private EngineHarness _h = null!;
    private ExtensionClient _x = null!;

    [SetUp]
    public async Task Start()
    {
        _h = await EngineHarness.StartAsync();
        _x = new ExtensionClient(_h);
    }

    [TearDown]
    public async Task Stop() { if (_h is not null) await _h.DisposeAsync(); }

    [TestCase("/extensions/referral", "POST")]
    [TestCase("/extensions/referrer", "GET")]
    public async Task Preflight_AllowsAnyOrigin_WithAuthorizationAndContentType(string path, string method)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", ExtensionClient.Origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        request.Headers.Add("Access-Control-Request-Headers", "authorization, content-type");
        var response = await _h.Http.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(response.Headers.GetValues("Access-Control-Allow-Origin"), Is.EqualTo(new[] { "*" }));
        var allowed = response.Headers.GetValues("Access-Control-Allow-Headers").Single().Split(',', StringSplitOptions.TrimEntries);
        Assert.That(allowed, Is.SupersetOf(new[] { "Authorization", "Content-Type" }));
        Assert.That(response.Headers.GetValues("Access-Control-Allow-Methods").Single(), Does.Contain(method));
    }

    [Test]
    public async Task Answers_AndRefusals_CarryTheCorsHeader()
    {
        var order = _h.Store.RecordOrder(EngineHarness.Shop, new SandboxOrder { CustomerId = 77 });
        var ok = await _x.ReferralAsync(_h.Store.IssueExtensionToken(EngineHarness.Shop, null), new { orderId = ExtensionClient.Order(order.Id) });
        var refused = await _x.ReferralAsync(_x.Token(secret: "forged"), new { orderId = ExtensionClient.Order(order.Id) });
        Assert.That((ok.Status, refused.Status), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.Unauthorized)));
        Assert.That(ok.Response.Headers.GetValues("Access-Control-Allow-Origin").Single(), Is.EqualTo("*"));
        Assert.That(refused.Response.Headers.GetValues("Access-Control-Allow-Origin").Single(), Is.EqualTo("*"));
    }
}

/// <summary>Each shop's buyers share one budget, counted only for tokens that check out.</summary>
public class ExtensionRateLimitTests
{
    [Test]
    public async Task OverTheShopsLimit_429WithRetryAfter_AndForgedTokensDoNotSpendIt()
    {
        await using var h = await EngineHarness.StartAsync(settings: new() { ["Extensions:RateLimitPermits"] = "2", ["Extensions:RateLimitWindow"] = "01:00:00" });
        var x = new ExtensionClient(h);
        var order = new { orderId = ExtensionClient.Order(h.Store.RecordOrder(EngineHarness.Shop, new SandboxOrder { CustomerId = 78 }).Id) };

        for (var i = 0; i < 5; i++)
            Assert.That((await x.ReferralAsync(x.Token(secret: "forged"), order)).Status, Is.EqualTo(HttpStatusCode.Unauthorized));
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 3; i++)
        {
            var (status, _, response) = await x.ReferralAsync(x.Token(), order);
            statuses.Add(status);
            last = response;
        }
        Assert.That(statuses, Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
        Assert.That(last!.Headers.RetryAfter, Is.Not.Null);
    }
}
