using System.Net;
using ShopifyReferral.Shops;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.Merchant;

/// <summary>Every /api request needs a valid session token for an installed shop; each forgery gets 401.</summary>
public class MerchantAuthTests
{
    private const string Shop = "alpha.myshopify.com";
    private TestApp _app = null!;
    private HttpClient _http = null!;
    // The app's clock, stopped: a token's age is what the test says, however slow the machine.
    private readonly ManualTime _time = new(DateTimeOffset.UtcNow);

    [SetUp]
    public async Task Start()
    {
        _app = new TestApp(new() { ["Webhooks:Workers"] = "0", ["Shopify:PreviousClientSecret"] = "old-secret" }, _time);
        _http = _app.CreateClient();
        await _app.Service<ShopStore>().MarkInstalledAsync(Shop, _time.GetUtcNow());
    }

    [TearDown]
    public void Stop() => _app?.Dispose();

    private async Task<(HttpStatusCode, string)> CallWith(string token)
    {
        var response = await _http.SendAsync(Sessions.Get("/api/shop", token));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task ValidToken_ActsForItsShop()
    {
        var (status, body) = await CallWith(Sessions.Token(Shop, now: _time.GetUtcNow()));
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body, Does.Contain(Shop));
    }

    [Test]
    public async Task PreviousSecretDuringRotation_IsAccepted() =>
        Assert.That((await CallWith(Sessions.Token(Shop, now: _time.GetUtcNow(), secret: "old-secret"))).Item1, Is.EqualTo(HttpStatusCode.OK));

    [Test]
    public async Task NoToken_401()
    {
        var response = await _http.GetAsync("/api/shop");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [TestCase("wrong-secret", "test-client-id", 60, "HS256", null, "bad signature")]
    [TestCase(TestApp.Secret, "another-app", 60, "HS256", null, "audience")]
    [TestCase(TestApp.Secret, "test-client-id", -11, "HS256", null, "expired")]
    [TestCase(TestApp.Secret, "test-client-id", 60, "none", null, "algorithm")]
    [TestCase(TestApp.Secret, "test-client-id", 60, "HS256", "https://evil.example.com", "dest")]
    public async Task ForgedOrStale_401WithTheReason(string secret, string aud, int expiresInSeconds, string alg, string? dest, string reason)
    {
        var (status, body) = await CallWith(Sessions.Token(Shop, now: _time.GetUtcNow(), secret: secret, aud: aud, expiresIn: TimeSpan.FromSeconds(expiresInSeconds), alg: alg, dest: dest));
        Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(body, Does.Contain(reason));
    }

    [Test]
    public async Task ExpiredWithinTheTenSecondSkew_IsAccepted() =>
        Assert.That((await CallWith(Sessions.Token(Shop, now: _time.GetUtcNow(), expiresIn: TimeSpan.FromSeconds(-8)))).Item1, Is.EqualTo(HttpStatusCode.OK));

    [Test]
    public async Task ShopNotInstalled_401()
    {
        var (status, body) = await CallWith(Sessions.Token("beta.myshopify.com", now: _time.GetUtcNow()));
        Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(body, Does.Contain("not installed"));
    }

    [Test]
    public async Task TamperedPayload_401()
    {
        var parts = Sessions.Token(Shop, now: _time.GetUtcNow()).Split('.');
        var other = Sessions.Token("beta.myshopify.com", now: _time.GetUtcNow()).Split('.');
        var (status, _) = await CallWith($"{parts[0]}.{other[1]}.{parts[2]}");
        Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized));
    }
}
