using System.Net;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.Storefront;

/// <summary>Public endpoints share a per-IP limit (Storefront:RateLimitPermits per RateLimitWindow); /api and /webhooks do not.</summary>
public class RateLimitTests
{
    private TestApp _app = null!;
    private HttpClient _http = null!;

    [SetUp]
    public void Start()
    {
        _app = new TestApp(StorefrontSeed.Settings(new() { ["Storefront:RateLimitPermits"] = "3", ["Storefront:RateLimitWindow"] = "00:10:00" }));
        _http = _app.CreateClient(new() { AllowAutoRedirect = false });
    }

    [TearDown]
    public void Stop() => _app?.Dispose();

    [Test]
    public async Task PublicPaths_429AfterTheLimit_WithRetryAfter()
    {
        // /r, /proxy and /auth count against one budget per IP.
        Assert.That((await _http.GetAsync("/r/NOPE-1")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await _http.GetAsync("/proxy")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await _http.GetAsync("/auth/install")).StatusCode, Is.Not.EqualTo(HttpStatusCode.TooManyRequests));
        var limited = await _http.GetAsync("/r/NOPE-1");
        Assert.That(limited.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(limited.Headers.RetryAfter, Is.Not.Null);
        Assert.That(await limited.Content.ReadAsStringAsync(), Does.Contain("rate-limited"));
    }

    [Test]
    public async Task OtherPaths_AreNotLimited()
    {
        for (var i = 0; i < 6; i++)
            Assert.That((await _http.GetAsync("/health")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
