using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ShopifyReferral.Merchant;
using ShopifyReferral.Shopify;
using ShopifyReferral.Shops;
using ShopifyReferral.Tests.Infrastructure;
using ShopifyReferral.Tests.Install;

namespace ShopifyReferral.Tests.Shops;

/// <summary>
/// A refresh must never destroy a grant that may be alive: only Shopify's invalid_grant drops it; a refresh outlives
/// the Admin call that needed it; and a shop that does lose its grant is mended by a token exchange from the admin.
/// </summary>
public class TokenRefreshTests
{
    private const string Shop = "refresh.myshopify.com";
    private InstallHarness _h = null!;

    [SetUp]
    public async Task Start()
    {
        // Admin calls of one second, retried three times; the token endpoint has its own, longer timeout.
        _h = await InstallHarness.StartAsync(new() { ["Shopify:RequestTimeout"] = "00:00:01", ["Shopify:MaxRetryAttempts"] = "3" });
        var installed = await _h.Store.InstallAppAsync(Shop, _h.AppUrl);
        Assert.That(installed.CallbackStatus, Is.EqualTo(302));
        _h.Time.Advance(TimeSpan.FromMinutes(58)); // the hour-long token is inside its last five minutes
    }

    [TearDown]
    public async Task Stop() { if (_h is not null) await _h.DisposeAsync(); }

    private ShopTokens Tokens => _h.Get<ShopTokens>();

    [TestCase(400, "invalid_request")]
    [TestCase(401, "invalid_client")]
    [TestCase(403, "access_denied")]
    [TestCase(503, "server_error")]
    public async Task RefreshRefusedOtherThanInvalidGrant_KeepsTheGrant_NextTryRefreshes(int status, string error)
    {
        var before = await Tokens.FindAsync(Shop, default);
        _h.Store.Faults(Shop).FailTokenRequestsNext(1, status, error);

        var failure = Assert.ThrowsAsync<ShopifyOAuthException>(() => Tokens.GetAccessTokenAsync(Shop, default).AsTask());
        Assert.That(failure!.Message, Does.Contain(error));
        Assert.That((await _h.Get<ShopStore>().FindAsync(Shop))?.Status, Is.EqualTo("installed"));
        Assert.That((await Tokens.FindAsync(Shop, default))?.RefreshToken, Is.EqualTo(before!.RefreshToken), "the grant is kept");

        var fresh = await Tokens.GetAccessTokenAsync(Shop, default);
        Assert.That(fresh, Is.Not.EqualTo(before.AccessToken));
        Assert.That(_h.Store.RefreshCount(Shop), Is.EqualTo(1));
    }

    [Test]
    public async Task CallRightAfterAFailedRefresh_TriesAgain_NeverGetsTheOldFailure()
    {
        // The failed refresh leaves its task behind for a moment: the next caller must start a new one, not await it.
        for (var round = 1; round <= 20; round++)
        {
            _h.Store.Faults(Shop).FailTokenRequestsNext(1, 503, "server_error");
            Assert.ThrowsAsync<ShopifyOAuthException>(() => Tokens.GetAccessTokenAsync(Shop, default).AsTask());
            Assert.DoesNotThrowAsync(() => Tokens.GetAccessTokenAsync(Shop, default).AsTask(), $"round {round}");
            Assert.That(_h.Store.RefreshCount(Shop), Is.EqualTo(round));
            _h.Time.Advance(TimeSpan.FromMinutes(58));
        }
    }

    [Test]
    public async Task RefreshRefusedWithInvalidGrant_DropsTheGrantAndParksTheShop()
    {
        _h.Store.RevokeTokens(Shop); // the sandbox answers the dead refresh token with invalid_grant

        Assert.ThrowsAsync<ShopNeedsReauthException>(() => Tokens.GetAccessTokenAsync(Shop, default).AsTask());
        Assert.That((await _h.Get<ShopStore>().FindAsync(Shop))?.Status, Is.EqualTo(ShopStore.NeedsReauth));
        Assert.That(await Tokens.FindAsync(Shop, default), Is.Null);
    }

    [Test]
    public async Task RefreshSlowerThanTheAdminCallsTimeout_CompletesOnce_AndTheCallSucceeds()
    {
        // Every token request takes 2 s; every Admin attempt gives up after 1 s.
        _h.Store.Faults(Shop).DelayTokenRequestsNext(10, TimeSpan.FromSeconds(2));

        await _h.Get<IShopifyAdmin>().GetCustomerOrderCountAsync(Shop, "gid://shopify/Customer/1", default);

        Assert.That(_h.Store.RefreshCount(Shop), Is.EqualTo(1), "the attempts after the first joined the refresh it started");
        Assert.That((await Tokens.FindAsync(Shop, default))!.ExpiresAt, Is.EqualTo(_h.Time.GetUtcNow().AddHours(1)));
    }

    [Test]
    public void RefreshLease_OutlastsATokenRequest()
    {
        var request = _h.Get<IHttpClientFactory>().CreateClient(nameof(ShopifyOAuth)).Timeout;
        Assert.That(Tokens.RefreshLease, Is.GreaterThan(request),
            "no second instance may start a refresh while the first one's request can still be answered");
    }

    [Test]
    public async Task NeedsReauth_ApiSaysSo_TokenExchangeMendsIt()
    {
        _h.Store.RevokeTokens(Shop);
        Assert.ThrowsAsync<ShopNeedsReauthException>(() => Tokens.GetAccessTokenAsync(Shop, default).AsTask());
        var session = _h.Store.IssueSessionToken(Shop);

        var refused = await _h.Http.SendAsync(Sessions.Get("/api/shop", session));
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await refused.Content.ReadAsStringAsync(), Does.Contain(MerchantApi.ReauthorizeType).And.Contain("/auth/token-exchange"));

        var exchange = new HttpRequestMessage(HttpMethod.Post, "/auth/token-exchange");
        exchange.Headers.Authorization = new("Bearer", session);
        Assert.That((await _h.Http.SendAsync(exchange)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await _h.Http.SendAsync(Sessions.Get("/api/shop", session))).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
