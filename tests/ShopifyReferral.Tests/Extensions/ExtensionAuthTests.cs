using System.Net;
using ShopifyReferral.Sandbox;
using ShopifyReferral.Shops;
using ShopifyReferral.Tests.Engine;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.Extensions;

/// <summary>
/// Every token case on POST /extensions/referral, each with a real signed token: the refused ones get 401 and enrol
/// nobody, although the order they name is real and its buyer would otherwise be enrolled.
/// </summary>
public class ExtensionAuthTests
{
    private const long Buyer = 301;
    private EngineHarness _h = null!;
    private ExtensionClient _x = null!;
    private string _order = null!;

    [SetUp]
    public async Task Start()
    {
        _h = await EngineHarness.StartAsync();
        _x = new ExtensionClient(_h);
        _order = ExtensionClient.Order(_h.Store.RecordOrder(EngineHarness.Shop, new SandboxOrder { CustomerId = Buyer }).Id);
    }

    [TearDown]
    public async Task Stop() { if (_h is not null) await _h.DisposeAsync(); }

    private async Task Refused(string token, string reason)
    {
        var (status, body, _) = await _x.ReferralAsync(token, new { orderId = _order });
        Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized), body.ToString());
        Assert.That(body.GetProperty("detail").GetString(), Does.Contain(reason));
        Assert.That(_x.Referrers(), Is.Zero, "a refused call enrols nobody");
    }

    [Test]
    public async Task TheSandboxStoresOwnToken_IsAccepted_AndEnrolsTheBuyer()
    {
        var (status, body, _) = await _x.ReferralAsync(_h.Store.IssueExtensionToken(EngineHarness.Shop, ExtensionClient.Customer(Buyer)), new { orderId = _order });
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToString());
        Assert.That(_x.Referrers(), Is.EqualTo(1));
    }

    [Test]
    public Task ForgedSignature_401() => Refused(_x.Token(secret: "not-the-client-secret"), "bad signature");

    [Test]
    public Task WrongAudience_401() => Refused(_x.Token(aud: "another-apps-client-id"), "audience");

    [Test]
    public Task AnotherShopsDest_401() => Refused(_x.Token(dest: "other-shop.myshopify.com"), "other-shop.myshopify.com has not installed");

    [Test]
    public Task Expired_PastTheLeeway_401() => Refused(_x.Token(expiresIn: TimeSpan.FromSeconds(-11)), "expired");

    [Test]
    public Task AlgNone_401() => Refused(_x.Token(alg: "none"), "algorithm 'none'");

    [Test]
    public async Task UninstalledShop_401()
    {
        await _h.Get<ShopStore>().MarkUninstalledAsync(EngineHarness.Shop, _h.Time.GetUtcNow());
        await Refused(_x.Token(), "has not installed");
    }

    [Test]
    public Task AnAdminSessionToken_IsNotAnExtensionToken_401() =>
        Refused(_x.Token(dest: $"https://{EngineHarness.Shop}", iss: $"https://{EngineHarness.Shop}/admin", sub: "42"), "admin token");

    [Test]
    public Task NotADomain_401() => Refused(_x.Token(dest: "https://evil.example.com"), "dest");

    [Test]
    public async Task NoBearer_401()
    {
        var response = await _h.Http.PostAsync("/extensions/referral", System.Net.Http.Json.JsonContent.Create(new { orderId = _order }));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(_x.Referrers(), Is.Zero);
    }

    [Test]
    public async Task WithinTheLeeway_AndWithHttpsDest_AndThePreviousSecret_AreAccepted()
    {
        Assert.That((await _x.ReferralAsync(_x.Token(expiresIn: TimeSpan.FromSeconds(-8)), new { orderId = _order })).Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await _x.ReferralAsync(_x.Token(dest: $"https://{EngineHarness.Shop}"), new { orderId = _order })).Status, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task AnExtensionToken_CannotCallTheMerchantApi()
    {
        // Same secret, same audience: only the claims tell a buyer's token from the merchant's.
        foreach (var token in new[] { _x.Token(), _x.Token(dest: $"https://{EngineHarness.Shop}", sub: ExtensionClient.Customer(Buyer)) })
        {
            var response = await _h.Http.SendAsync(Sessions.Get("/api/referrers?q=", token));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), await response.Content.ReadAsStringAsync());
        }
    }
}
