using ShopifyReferral.Sandbox;
using ShopifyReferral.Shops;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.Shops;

/// <summary>Expiring offline tokens against the sandbox's token endpoint, on one hand-moved clock.</summary>
public class ShopTokensTests
{
    private const string Shop = "tokens.myshopify.com";
    private ManualTime _time = null!;
    private SandboxStore _store = null!;
    private TestApp _app = null!;

    [SetUp]
    public async Task Start()
    {
        _time = new ManualTime();
        _store = await SandboxStore.StartAsync(new SandboxOptions { Time = _time });
        _app = new TestApp(new()
        {
            ["Shopify:ClientId"] = _store.Options.ClientId, ["Shopify:ClientSecret"] = _store.Options.ClientSecret,
            ["Shopify:AdminBaseUrl"] = _store.AdminBaseUrlTemplate, ["Webhooks:Workers"] = "0",
        }, _time);
    }

    [TearDown]
    public async Task Stop()
    {
        _app?.Dispose();
        if (_store is not null) await _store.DisposeAsync();
    }

    [Test]
    public async Task Install_StoresAnExpiringTokenThatIsServedUntilFiveMinutesBeforeExpiry()
    {
        var installed = await _app.Service<ShopInstaller>().InstallAsync(Shop, _store.CreateAuthorizationCode(Shop), default);
        Assert.That(installed.ExpiresAt, Is.EqualTo(_time.GetUtcNow().AddHours(1)));
        Assert.That(installed.RefreshToken, Is.Not.Null);

        _time.Advance(TimeSpan.FromMinutes(54));
        Assert.That(await _app.Service<ShopTokens>().GetAccessTokenAsync(Shop, default), Is.EqualTo(installed.AccessToken));
    }

    [Test]
    public async Task NearExpiry_ConcurrentCallersShareOneRefreshAndTheNewTokensAreStored()
    {
        var installed = await _app.Service<ShopInstaller>().InstallAsync(Shop, _store.CreateAuthorizationCode(Shop), default);
        _time.Advance(TimeSpan.FromMinutes(56));

        var tokens = _app.Service<ShopTokens>();
        var got = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => tokens.GetAccessTokenAsync(Shop, default).AsTask()));

        Assert.That(got.Distinct().Count(), Is.EqualTo(1), "one refresh, shared");
        Assert.That(got[0], Is.Not.EqualTo(installed.AccessToken));
        var stored = await tokens.FindAsync(Shop, default);
        Assert.That(stored!.RefreshToken, Is.Not.EqualTo(installed.RefreshToken), "Shopify rotates the refresh token; the new one is kept");
        Assert.That(stored.ExpiresAt, Is.EqualTo(_time.GetUtcNow().AddHours(1)));
    }

    [Test]
    public async Task BadCode_FailsWithShopifysAnswer()
    {
        var error = Assert.ThrowsAsync<ShopifyOAuthException>(() => _app.Service<ShopInstaller>().InstallAsync(Shop, "not-a-code", default));
        Assert.That(error!.Message, Does.Contain("HTTP 400").Or.Contain("HTTP 401"));
        Assert.That(await _app.Service<ShopTokens>().FindAsync(Shop, default), Is.Null);
    }
}
