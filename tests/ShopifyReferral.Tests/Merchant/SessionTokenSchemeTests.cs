using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using ShopifyReferral.Merchant;
using ShopifyReferral.Shops;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.Merchant;

/// <summary>
/// Session tokens through the framework's JsonWebTokenHandler and an authentication scheme: what the hand-written
/// checks never had a case for (other HMAC algorithms, nbf, a token without exp, a Shopify-length secret), and that
/// every merchant and extension route asks for its policy.
/// </summary>
public class SessionTokenSchemeTests
{
    private const string Shop = "alpha.myshopify.com";
    // A secret in Shopify's format ("shpss_" and 32 hex digits) is over 256 bits: the handler takes it as it is.
    private const string ShopifyLengthSecret = "shpss_0123456789abcdef0123456789abcdef";
    private readonly ManualTime _time = new(DateTimeOffset.UtcNow);
    private TestApp _app = null!;
    private HttpClient _http = null!;

    [SetUp]
    public async Task Start()
    {
        _app = new TestApp(new() { ["Webhooks:Workers"] = "0", ["Shopify:PreviousClientSecret"] = ShopifyLengthSecret }, _time);
        _http = _app.CreateClient();
        await _app.Service<ShopStore>().MarkInstalledAsync(Shop, _time.GetUtcNow());
    }

    [TearDown]
    public void Stop() => _app?.Dispose();

    private async Task<(HttpStatusCode Status, string Body)> Call(string token)
    {
        var response = await _http.SendAsync(Sessions.Get("/api/shop", token));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string Claims(object claims, string alg = "HS256") => SessionToken.Sign(claims, TestApp.Secret, alg);

    private static string SignedWith(string alg, object claims)
    {
        static string B64(byte[] b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var signed = B64(JsonSerializer.SerializeToUtf8Bytes(new { alg, typ = "JWT" })) + "." + B64(JsonSerializer.SerializeToUtf8Bytes(claims));
        var key = Encoding.UTF8.GetBytes(TestApp.Secret);
        var data = Encoding.ASCII.GetBytes(signed);
        return signed + "." + B64(alg == "HS384" ? HMACSHA384.HashData(key, data) : HMACSHA512.HashData(key, data));
    }

    private object Valid(long? exp = null, long? nbf = null) => new
    {
        iss = $"https://{Shop}/admin", dest = $"https://{Shop}", aud = "test-client-id", sub = "42",
        exp = exp ?? _time.GetUtcNow().AddMinutes(1).ToUnixTimeSeconds(), nbf = nbf ?? _time.GetUtcNow().AddSeconds(-1).ToUnixTimeSeconds(),
    };

    [Test]
    public async Task AShopifyLengthSecret_Verifies() =>
        Assert.That((await Call(Sessions.Token(Shop, now: _time.GetUtcNow(), secret: ShopifyLengthSecret))).Status, Is.EqualTo(HttpStatusCode.OK));

    // Signed for real with the client secret under the other HMAC: only the HS256-only rule refuses it.
    [TestCase("HS384")]
    [TestCase("HS512")]
    public async Task AnotherHmacAlgorithm_WithAGoodSignature_IsRefusedByName(string alg)
    {
        var (status, body) = await Call(SignedWith(alg, Valid()));
        Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(body, Does.Contain($"algorithm '{alg}' is not HS256"));
    }

    [Test]
    public async Task NotBeforeInTheFuture_PastTheLeeway_IsRefused()
    {
        var (status, body) = await Call(Claims(Valid(nbf: _time.GetUtcNow().AddSeconds(30).ToUnixTimeSeconds())));
        Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(body, Does.Contain("not valid yet"));
    }

    [Test]
    public async Task NotBeforeWithinTheLeeway_IsAccepted() =>
        Assert.That((await Call(Claims(Valid(nbf: _time.GetUtcNow().AddSeconds(8).ToUnixTimeSeconds())))).Status, Is.EqualTo(HttpStatusCode.OK));

    [Test]
    public async Task WithoutExp_IsRefused()
    {
        var (status, body) = await Call(Claims(new { iss = $"https://{Shop}/admin", dest = $"https://{Shop}", aud = "test-client-id", sub = "42" }));
        Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(body, Does.Contain("expired"));
    }

    [Test]
    public async Task TheAppsClock_DecidesExpiry()
    {
        var token = Claims(Valid());
        Assert.That((await Call(token)).Status, Is.EqualTo(HttpStatusCode.OK));
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.That((await Call(token)).Body, Does.Contain("expired"));
    }

    [Test]
    public async Task NotAJwt_IsRefused()
    {
        var (status, body) = await Call("not-a-token");
        Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(body, Does.Contain("not a JWT"));
    }

    [Test]
    public void EveryMerchantAndExtensionRoute_RequiresItsSessionPolicy()
    {
        var endpoints = _app.Service<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Path: "/" + e.RoutePattern.RawText!.TrimStart('/'), Policies: e.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).ToList()))
            .ToList();
        var api = endpoints.Where(e => e.Path.StartsWith("/api/", StringComparison.Ordinal) && e.Path != "/api/openapi.json").ToList();
        var extensions = endpoints.Where(e => e.Path.StartsWith("/extensions/", StringComparison.Ordinal)).ToList();
        Assert.That(api, Has.Count.GreaterThan(10));
        Assert.That(extensions, Is.Not.Empty);
        Assert.Multiple(() =>
        {
            foreach (var (path, policies) in api) Assert.That(policies, Does.Contain(SessionTokenAuth.Merchant), path);
            foreach (var (path, policies) in extensions) Assert.That(policies, Does.Contain(SessionTokenAuth.Extension), path);
        });
    }
}
