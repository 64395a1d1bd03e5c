using System.Net;
using Dapper;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.Storefront;

/// <summary>
/// Views of the storefront referral page, through the app proxy's signed GET /proxy: one counter row per shop, UTC day
/// and surface (page_view_days), so reloading the page grows a number, never the table.
/// </summary>
public class PageViewTests
{
    private const string Shop = "alpha.myshopify.com";
    private ManualTime _time = null!;
    private TestApp _app = null!;
    private HttpClient _http = null!;

    [SetUp]
    public async Task Start()
    {
        _time = new ManualTime(new DateTimeOffset(2026, 11, 22, 23, 59, 0, TimeSpan.Zero));
        _app = new TestApp(StorefrontSeed.Settings(), _time);
        _http = _app.CreateClient(new() { AllowAutoRedirect = false });
        await StorefrontSeed.InstallAsync(_app, Shop);
    }

    [TearDown]
    public void Stop() => _app?.Dispose();

    private async Task<HttpStatusCode> ViewAsync(string shop = Shop, long? customer = null, string? query = null)
    {
        var response = await _http.GetAsync("/proxy" + (query ?? ProxyQuery.Signed(shop, customer, _time.GetUtcNow())));
        return response.StatusCode;
    }

    private List<(string Shop, long Day, string Surface, long Views)> Rows()
    {
        using var db = _app.OpenDb();
        return db.Query<(string, long, string, long)>("SELECT shop, day, surface, views FROM page_view_days ORDER BY day, surface").AsList();
    }

    private static long Day(int month, int day) => new DateTimeOffset(2026, month, day, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    [Test]
    public async Task SignedViews_CountedPerUtcDay_OneRowADay()
    {
        Assert.That(await ViewAsync(), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await ViewAsync(customer: 777), Is.EqualTo(HttpStatusCode.OK), "a logged-in shopper's view counts alike");
        Assert.That(await ViewAsync(), Is.EqualTo(HttpStatusCode.OK));
        _time.Advance(TimeSpan.FromMinutes(2)); // 00:01 UTC the next day
        Assert.That(await ViewAsync(), Is.EqualTo(HttpStatusCode.OK));

        Assert.That(Rows(), Is.EqualTo(new[] { (Shop, Day(11, 22), "referral_page", 3L), (Shop, Day(11, 23), "referral_page", 1L) }));
    }

    [Test]
    public async Task AHundredReloads_StillOneRow()
    {
        for (var i = 0; i < 100; i++) Assert.That(await ViewAsync(), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Rows(), Is.EqualTo(new[] { (Shop, Day(11, 22), "referral_page", 100L) }));
    }

    [Test]
    public async Task ForgedOrUninstalled_NotCounted()
    {
        var forged = ProxyQuery.Signed(Shop, null, _time.GetUtcNow(), secret: "not-the-secret");
        Assert.That(await ViewAsync(query: forged), Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await ViewAsync(query: $"?shop={Shop}"), Is.EqualTo(HttpStatusCode.Unauthorized), "unsigned");
        Assert.That(await ViewAsync("gamma.myshopify.com"), Is.EqualTo(HttpStatusCode.NotFound), "a shop that never installed the app");
        Assert.That(Rows(), Is.Empty);
    }

    [Test]
    public async Task TheRowsNameNoOne_ShopRedactDeletesThem()
    {
        await ViewAsync(customer: 777);
        using (var db = _app.OpenDb())
            Assert.That(((IDictionary<string, object>)db.QuerySingle("SELECT * FROM page_view_days")).Keys,
                Is.EqualTo(new[] { "shop", "day", "surface", "views" }), "no referrer or customer id: nothing for a customer redaction to find");
        await StorefrontSeed.InstallAsync(_app, "beta.myshopify.com");
        await ViewAsync("beta.myshopify.com");

        await _app.Service<ShopifyReferral.Privacy.Redactor>().DeleteShopAsync(Shop, CancellationToken.None);
        Assert.That(Rows().Select(r => r.Shop), Is.EqualTo(new[] { "beta.myshopify.com" }));
    }
}
