using System.Net;
using Dapper;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.Storefront;

/// <summary>/r/{code}: a click is recorded (hashed IP, never the IP) and the friend lands on the shop's discount link.</summary>
public class ShareTrackingTests
{
    private const string Shop = "alpha.myshopify.com";
    private TestApp _app = null!;
    private HttpClient _http = null!;

    [SetUp]
    public async Task Start()
    {
        // A real port, so the request has a real client IP to hash.
        _app = new TestApp(StorefrontSeed.Settings(), kestrel: true);
        // Kestrel mode ignores the factory's AllowAutoRedirect: a plain client, so the 302 is seen, not followed.
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = _app.CreateClient().BaseAddress };
        await StorefrontSeed.InstallAsync(_app, Shop);
    }

    [TearDown]
    public void Stop()
    {
        _http?.Dispose();
        _app?.Dispose();
    }

    [Test]
    public async Task KnownCode_RecordsClick_Redirects302ToTheShopsDiscountLink()
    {
        var jane = await StorefrontSeed.EnrolAsync(_app, Shop, 777);
        var response = await _http.GetAsync($"/r/{jane.Code.ToLowerInvariant()}?ch=WhatsApp&s=alpha");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Found));
        Assert.That(response.Headers.Location!.ToString(), Is.EqualTo($"https://{Shop}/discount/{jane.Code}?redirect=/&ref_ch=whatsapp"),
            "the channel rides to the order's landing_site");

        using var conn = _app.OpenDb();
        var click = conn.QuerySingle<(string Shop, long ReferrerId, string Code, string Channel, string IpHash, long ClickedAt)>(
            "SELECT shop, referrer_id, code, channel, ip_hash, clicked_at FROM share_clicks");
        Assert.That((click.Shop, click.ReferrerId, click.Code, click.Channel), Is.EqualTo((Shop, jane.Id, jane.Code, "whatsapp")));
        Assert.That(click.ClickedAt, Is.EqualTo(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()).Within(60_000));
        Assert.That(click.IpHash, Does.Match("^[0-9a-f]{64}$"));
        Assert.That(click.IpHash, Is.EqualTo(_app.Service<ShopifyReferral.Storefront.StorefrontStore>().HashIp("127.0.0.1")));
        var dump = string.Join("|", conn.Query<string>("SELECT shop || code || channel || COALESCE(ip_hash, '') FROM share_clicks"));
        Assert.That(dump, Does.Not.Contain("127.0.0.1"), "the IP itself is never stored");
        Assert.That(conn.QuerySingle<(string, long, string, long)>("SELECT shop, day, channel, clicks FROM share_click_days"),
            Is.EqualTo((Shop, click.ClickedAt / 86_400_000, "whatsapp", 1L)), "the day's counter (migration 0055) counts it");
    }

    [TestCase(null, "direct")]
    [TestCase("sms", "sms")]
    [TestCase("<script>", "other")]
    public async Task Channel_IsKnownDirectOrOther(string? ch, string recorded)
    {
        var jane = await StorefrontSeed.EnrolAsync(_app, Shop, 777);
        await _http.GetAsync($"/r/{jane.Code}" + (ch is null ? "" : $"?ch={Uri.EscapeDataString(ch)}"));
        Assert.That(_app.Count("SELECT COUNT(*) FROM share_clicks WHERE channel = @recorded", new { recorded }), Is.EqualTo(1));
    }

    [Test]
    public async Task UnknownCode_FriendlyPage404_NothingRecorded()
    {
        var response = await _http.GetAsync("/r/NOPE-2345?ch=email");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/html"));
        var page = await response.Content.ReadAsStringAsync();
        // The code was never known, so the page must not claim it expired: it says the code isn't recognised, and which.
        Assert.That(page, Does.Contain("recognise").And.Contain("NOPE-2345"));
        Assert.That(page, Does.Not.Contain("expired"));
        Assert.That(_app.Count("SELECT COUNT(*) FROM share_clicks"), Is.EqualTo(0));
    }

    [Test]
    public async Task SameCodeInTwoShops_ShopParamPicksTheRightOne()
    {
        await StorefrontSeed.InstallAsync(_app, "beta.myshopify.com");
        var a = await _app.Service<ShopifyReferral.Referrals.ReferrerService>().EnrolAsync(Shop, 1, null, "Sam", null, code: "SAMREF");
        await _app.Service<ShopifyReferral.Referrals.ReferrerService>().EnrolAsync("beta.myshopify.com", 1, null, "Sam", null, code: "SAMREF");
        var response = await _http.GetAsync("/r/SAMREF?ch=x&s=alpha");
        Assert.That(response.Headers.Location!.Host, Is.EqualTo(Shop));
        Assert.That(_app.Count("SELECT COUNT(*) FROM share_clicks WHERE referrer_id = @Id", new { a.Id }), Is.EqualTo(1));
    }

    [Test]
    public async Task ShopRedact_DeletesTheShopsClicksWithItsReferrers()
    {
        var jane = await StorefrontSeed.EnrolAsync(_app, Shop, 777);
        await _http.GetAsync($"/r/{jane.Code}?ch=email");
        await _http.GetAsync($"/r/{jane.Code}?ch=email");
        Assert.That(_app.Count("SELECT COUNT(*) FROM share_clicks"), Is.EqualTo(2));
        Assert.That(_app.Count("SELECT SUM(clicks) FROM share_click_days"), Is.EqualTo(2));
        await _app.Service<ShopifyReferral.Privacy.Redactor>().DeleteShopAsync(Shop, CancellationToken.None);
        Assert.That(_app.Count("SELECT COUNT(*) FROM share_clicks") + _app.Count("SELECT COUNT(*) FROM referrers")
            + _app.Count("SELECT COUNT(*) FROM share_click_days"), Is.Zero);
    }
}
