using ShopifyReferral.Jobs;
using ShopifyReferral.Shopify;
using ShopifyReferral.Shops;
using ShopifyReferral.Tests.Install;

namespace ShopifyReferral.Tests.Shops;

/// <summary>A quiet shop's expiring token, kept alive by the daily job past the refresh token's 90 days, or parked when refused.</summary>
public class TokenKeepAliveTests
{
    private const string Shop = "quiet.myshopify.com";
    private InstallHarness _h = null!;

    [SetUp]
    public async Task Start()
    {
        _h = await InstallHarness.StartAsync();
        Assert.That((await _h.Store.InstallAppAsync(Shop, _h.AppUrl)).CallbackStatus, Is.EqualTo(302));
        Assert.That((await _h.Get<ShopTokens>().FindAsync(Shop, default))!.RefreshExpiresAt, Is.Not.Null, "an expiring token with its refresh token");
    }

    [TearDown]
    public async Task Stop() => await _h.DisposeAsync();

    /// <summary>The periodic job's run, as the worker host would make it once a day.</summary>
    private Task<JobResult> RunKeepAliveAsync() => _h.Get<TokenKeepAlive>().RunAsync(new Job(0, TokenKeepAlive.JobKind, "*", "", 1, 0, "test"), default);

    /// <summary>An Admin API call after the quiet spell: it works only if the grant is still alive.</summary>
    private async Task<bool> CanCallShopifyAsync()
    {
        try
        {
            await _h.Get<IShopifyAdmin>().GetCustomerOrderCountAsync(Shop, "gid://shopify/Customer/1", default);
            return true;
        }
        catch (ShopNotInstalledException)
        {
            return false;
        }
    }

    [Test]
    public async Task QuietShop_DailyKeepAlive_OutlivesTheRefreshToken_RefreshingAboutMonthly()
    {
        for (var day = 0; day < 200; day++)
        {
            _h.Time.Advance(TimeSpan.FromDays(1));
            await RunKeepAliveAsync();
        }
        Assert.That(await CanCallShopifyAsync(), Is.True, "the grant survived 200 quiet days");
        Assert.That(_h.Store.RefreshCount(Shop), Is.InRange(6, 8), "refreshed about every 30 days, not daily");
        var token = (await _h.Get<ShopTokens>().FindAsync(Shop, default))!;
        Assert.That(token.RefreshExpiresAt - _h.Time.GetUtcNow(), Is.GreaterThan(TimeSpan.FromDays(59)));
    }

    [Test]
    public async Task QuietShop_WithoutKeepAlive_LosesItsGrant()
    {
        _h.Time.Advance(TimeSpan.FromDays(91));
        Assert.That(await CanCallShopifyAsync(), Is.False, "what the keep-alive prevents");
        Assert.That((await _h.Get<ShopStore>().FindAsync(Shop))!.Status, Is.EqualTo(ShopStore.NeedsReauth));
    }

    [Test]
    public async Task RefusedRefresh_MarksTheShopNeedsReauth_AndTheJobGoesOn()
    {
        _h.Time.Advance(TimeSpan.FromDays(31));
        _h.Store.RevokeTokens(Shop);
        var result = await RunKeepAliveAsync();
        Assert.That((await _h.Get<ShopStore>().FindAsync(Shop))!.Status, Is.EqualTo(ShopStore.NeedsReauth), "the dashboard asks for re-authorisation");
        Assert.That(result.RunAgainAt, Is.EqualTo(_h.Time.GetUtcNow().AddDays(1)));
        Assert.That(_h.Store.RefreshCount(Shop), Is.Zero);
    }

    [Test]
    public async Task FreshToken_IsLeftAlone()
    {
        _h.Time.Advance(TimeSpan.FromDays(10));
        await RunKeepAliveAsync();
        Assert.That(_h.Store.RefreshCount(Shop), Is.Zero);
    }
}
