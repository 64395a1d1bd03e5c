using Dapper;
using Microsoft.Playwright;
using ShopifyReferral.Shops;
using ShopifyReferral.Tests.Infrastructure;
using static ShopifyReferral.Tests.Dashboard.Seed;

namespace ShopifyReferral.Tests.Dashboard;

/// <summary>
/// The dashboard's wording in a real Chromium: counts of one read in the singular, the share rate says what it is
/// (and why it can pass 100 %), every section says it is loading until its data arrives, and a failed webhook shows
/// a short readable error with the full text one click away.
/// </summary>
[Category(Infrastructure.TestProvider.Browser)]
public class DashboardCopyTests
{
    private const string Shop = "copy.myshopify.com";
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private const string LongError =
        "ShopifyHttpException: Shopify answered 502 (Bad Gateway) for orderUpdate. Response body: <html><head><title>502</title></head>"
        + "<body>upstream connect error or disconnect/reset before headers. retried and the latest reset reason: connection failure</body></html>";

    private TestApp _app = null!;
    private Browser _browser = null!;
    private string _base = null!;

    [SetUp]
    public async Task Start()
    {
        _browser = await Browser.LaunchAsync();
        _app = new TestApp(new() { ["Webhooks:Workers"] = "0", ["Referrals:Background"] = "false" }, new ManualTime(Now), kestrel: true);
        using (var client = _app.CreateClient()) _base = client.BaseAddress!.ToString().TrimEnd('/'); // starts the server
        await _app.Service<ShopStore>().MarkInstalledAsync(Shop, Now);
        using var db = _app.OpenDb();
        var s = new Seed(db, Shop);
        // One of everything: one referrer, one click, one referred order by one customer, one reward.
        var jane = s.Referrer(1, "Jane", "Doe", "jane@example.com", "JANE-1111", Noon(11, 1));
        var referral = s.Referral(s.Order(2, Noon(11, 10), "40.00"), jane, "approved", Noon(11, 10));
        s.Reward(jane, referral, "r", "fixed_amount", "10.00", "issued", Noon(11, 12), Noon(12, 30), "THANKS-1");
        s.Clicks(jane, "instagram", Noon(11, 9), 1);
        db.Execute("""
            INSERT INTO webhook_inbox (shop, topic, webhook_id, body, received_at, status, attempts, last_error, processed_at)
            VALUES (@Shop, 'orders/paid', 'w-1', @body, @at, 'failed', 8, @LongError, @at)
            """, new { Shop, at = Noon(11, 20), LongError, body = "{}"u8.ToArray() });
    }

    [TearDown]
    public async Task Stop()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _app?.Dispose();
    }

    private async Task<IPage> NewPageAsync()
    {
        var page = await _browser.NewPageAsync(width: 1280, height: 900);
        var token = Sessions.Token(Shop, Now, expiresIn: TimeSpan.FromHours(1));
        await page.Context.AddInitScriptAsync($"window.shopifyReferralToken = async () => '{token}';");
        return page;
    }

    private string Url => $"{_base}/app?shop={Shop}&from=2026-11-01&to=2026-11-30";

    [Test]
    public async Task CountsOfOne_ReadInTheSingular()
    {
        var page = await NewPageAsync();
        await page.GotoAsync(Url);
        await page.WaitForSelectorAsync("body[data-ready=true]");
        var kpis = await page.Locator("#kpis").InnerTextAsync();
        Assert.That(kpis, Does.Contain("1 click").And.Contain("1 order / 1 click").And.Contain("1 reward ").And.Contain("1 enrolled / 1 customer"));
        Assert.That(kpis, Does.Not.Match(@"\b1 (clicks|orders|rewards|customers)\b"));
        await Browser.ScreenshotAsync(page, "dashboard-copy");
    }

    [Test]
    public async Task ShareRate_SaysItIsClicksPerReferrer_AndCanPass100()
    {
        var page = await NewPageAsync();
        await page.GotoAsync(Url);
        await page.WaitForSelectorAsync("body[data-ready=true]");
        var card = page.Locator("#kpis .card", new() { HasText = "Share rate" });
        Assert.That(await card.InnerTextAsync(), Does.Contain("instagram 100%").And.Contain("clicks per 100 referrers"));
        Assert.That(await card.GetAttributeAsync("title"), Does.Contain("more than 100 %"), "the tooltip explains rates above 100 %");
    }

    [Test]
    public async Task WhileTheApiAnswers_EverySectionSaysLoading()
    {
        var page = await NewPageAsync();
        var release = new TaskCompletionSource();
        await page.RouteAsync("**/api/**", async route =>
        {
            await release.Task;
            await route.ContinueAsync();
        });
        await page.GotoAsync(Url, new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        foreach (var section in new[] { "#kpis", "#queue", "#top", "#unused", "#failed" })
        {
            Assert.That(await page.Locator(section).InnerTextAsync(), Does.Contain("Loading"), section);
            Assert.That(await page.Locator(section).GetAttributeAsync("aria-busy"), Is.EqualTo("true"), section);
        }
        release.SetResult();
        await page.WaitForSelectorAsync("body[data-ready=true]");
        Assert.That(await page.Locator("main").InnerTextAsync(), Does.Not.Contain("Loading"));
        Assert.That(await page.Locator("[aria-busy=true]").CountAsync(), Is.Zero);
    }

    [Test]
    public async Task FailedWebhook_ShortReadableError_FullTextOnDemand()
    {
        var page = await NewPageAsync();
        await page.GotoAsync(Url);
        await page.WaitForSelectorAsync("body[data-ready=true]");
        var row = page.Locator("#failed tbody tr");
        var visible = await row.InnerTextAsync();
        Assert.That(visible, Does.Contain("Shopify answered 502 (Bad Gateway) for orderUpdate."));
        Assert.That(visible, Does.Not.Contain("ShopifyHttpException").And.Not.Contain("upstream connect error"), "no raw exception text at first sight");
        await row.Locator("summary").ClickAsync();
        Assert.That(await row.InnerTextAsync(), Does.Contain("upstream connect error"), "the full text, on demand");
    }
}
