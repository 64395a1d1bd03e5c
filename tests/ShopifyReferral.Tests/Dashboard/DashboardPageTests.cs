using Dapper;
using Microsoft.Playwright;
using ShopifyReferral.Referrals;
using ShopifyReferral.Rewards;
using ShopifyReferral.Tests.Engine;
using ShopifyReferral.Tests.Infrastructure;
using static ShopifyReferral.Tests.Dashboard.Seed;

namespace ShopifyReferral.Tests.Dashboard;

/// <summary>
/// The dashboard in a real headless Chromium against the real app and the sandbox store: figures and charts render
/// from seeded data, and approving the held referral empties the queue and gets its reward issued in the sandbox.
/// </summary>
[Category(Infrastructure.TestProvider.Browser)]
public class DashboardPageTests
{
    private const long OrderId = 5893217321195;
    private EngineHarness _h = null!;
    private Browser _browser = null!;
    private string _url = null!;

    [SetUp]
    public async Task Start()
    {
        _browser = await Browser.LaunchAsync();
        _h = await EngineHarness.StartAsync();
        var jane = await _h.EnrolJaneAsync();
        await _h.DeliverAsync("orders/create/with-code.json");
        await _h.DeliverAsync("orders/paid/with-code.json");
        using (var db = _h.App.OpenDb())
        {
            var referral = _h.Referral(OrderId)!.Id;
            db.Execute("UPDATE referrals SET status = 'review', status_reason = 'Held: velocity rule.' WHERE id = @referral", new { referral });
            var seed = new Seed(db, EngineHarness.Shop);
            db.Execute("DELETE FROM referral_checks WHERE referral_id = @referral AND rule = 'velocity'", new { referral }); // the engine's "pass", turned
            seed.Check(referral, "velocity", "review", "3 friends ordered from 203.0.113.9 within a day (limit 2).", Noon(11, 21));
            // A month of ordinary orders for the charts: one order a day, 20 to 49.
            for (var d = 1; d <= 20; d++) seed.Order(500 + d % 7, Noon(11, d), $"{20 + d % 30}.00");
            var bob = seed.Referrer(600, "Bob", "Stone", "bob@example.com", "BOB-5555", Noon(11, 3));
            seed.Referral(seed.Order(601, Noon(11, 12), "64.00"), bob, "rewarded", Noon(11, 12));
            seed.Clicks(jane.Id, "instagram", Noon(11, 10), 4);
            seed.Clicks(bob, "whatsapp", Noon(11, 11), 3);
            seed.Reward(bob, null, "seed", "fixed_amount", "10.00", "issued", Noon(11, 14), Noon(12, 31), "THANKS-SEEDED");
        }
        _h.Time.Advance(TimeSpan.FromDays(15)); // the hold is over: an approval leads straight to the reward
        var address = _h.WebhookUrl.GetLeftPart(UriPartial.Authority);
        _url = $"{address}/app?shop={EngineHarness.Shop}&from=2026-11-01&to=2026-11-30";
    }

    [TearDown]
    public async Task Stop()
    {
        if (_h is not null) await _h.DisposeAsync();
        if (_browser is not null) await _browser.DisposeAsync();
    }

    private async Task<IPage> OpenAsync(BrowserNewContextOptions? options = null)
    {
        var context = await _browser.Chromium.NewContextAsync(options);
        // The test plays App Bridge: a session token for the demo shop, valid on the app's clock for an hour.
        var token = Sessions.Token(EngineHarness.Shop, _h.Time.GetUtcNow(), _h.Store.Options.ClientSecret, _h.Store.Options.ClientId, TimeSpan.FromHours(1));
        await context.AddInitScriptAsync($"window.shopifyReferralToken = async () => '{token}';");
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync(_url);
        await page.WaitForSelectorAsync("body[data-ready=true]", new() { Timeout = 15000 });
        Assert.That(errors, Is.Empty, "no script errors");
        Assert.That(await page.Locator("#error").IsHiddenAsync(), Is.True, await page.Locator("#error").InnerTextAsync());
        return page;
    }

    [Test]
    public async Task Page_ShowsFiguresChartsAndQueue_ApproveIssuesTheReward()
    {
        var page = await OpenAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });

        var kpis = await page.Locator("#kpis").InnerTextAsync();
        Assert.That(kpis, Does.Contain("Participation rate").And.Contain("Referral conversion").And.Contain("CLV referred vs not"));
        Assert.That(kpis, Does.Contain("7 clicks"), "4 instagram + 3 whatsapp");
        Assert.That(await page.Locator("#chart-orders svg rect").CountAsync(), Is.GreaterThanOrEqualTo(30), "a bar per day and series");
        Assert.That(await page.Locator("#chart-revenue svg polyline").CountAsync(), Is.EqualTo(3));
        Assert.That(await page.Locator("#top").InnerTextAsync(), Does.Contain("BOB-5555"));
        Assert.That(await page.Locator("#unused").InnerTextAsync(), Does.Contain("THANKS-SEEDED"));
        Assert.That(await page.Locator("#prog-version").InnerTextAsync(), Is.EqualTo("version 1"));
        var queue = page.Locator("#queue .referral");
        Assert.That(await queue.CountAsync(), Is.EqualTo(1));
        Assert.That(await queue.InnerTextAsync(), Does.Contain("SAMREF-7Q2K").And.Contain("203.0.113.9"));
        await Browser.ScreenshotAsync(page, "dashboard");

        await page.Locator("#queue button[data-approve]").ClickAsync();
        await page.WaitForSelectorAsync("#queue >> text=No referral waits for review");
        Assert.That(_h.Referral(OrderId)!.Status, Is.EqualTo("approved"));
        Assert.That(await _h.Get<RewardIssuer>().RunOnceAsync(default), Is.EqualTo(1), "the rewards issuer (its worker in production) issues it");
        Assert.That(_h.RewardDiscounts(), Has.Count.EqualTo(1));
        Assert.That(_h.Referral(OrderId)!.Status, Is.EqualTo("rewarded"));
        await Browser.ScreenshotAsync(page, "dashboard-after-approve");
    }

    [Test]
    public async Task Page_BlockAReferrer_CodeStateFollowsShopify()
    {
        var page = await OpenAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var jane = page.Locator("#referrers tr", new() { HasText = "SAMREF-7Q2K" });
        Assert.That(await jane.Locator(".code-state").InnerTextAsync(), Is.EqualTo("active"));

        await jane.Locator("input[data-block-reason]").FillAsync("posted on a coupon site");
        await jane.Locator("button[data-block]").ClickAsync();
        await page.WaitForSelectorAsync("#referrers .code-state[data-state=deactivating]");
        Assert.That(_h.Store.Discounts(EngineHarness.Shop).Single(d => d.Codes.Contains("SAMREF-7Q2K")).Status, Is.EqualTo("ACTIVE"), "not inside the request");

        await _h.Get<ReferrerCodeSync>().RunOnceAsync(default); // its background loop in production
        Assert.That(_h.Store.Discounts(EngineHarness.Shop).Single(d => d.Codes.Contains("SAMREF-7Q2K")).Status, Is.EqualTo("EXPIRED"));
        await page.Locator("#ref-search button").ClickAsync();
        await page.WaitForSelectorAsync("#referrers .code-state[data-state=inactive]");
        Assert.That(await jane.InnerTextAsync(), Does.Contain("posted on a coupon site"));
        await Browser.ScreenshotAsync(page, "dashboard-blocked");
    }

    [Test]
    public async Task Page_OnAPhone_FitsTheWidth()
    {
        var page = await OpenAsync(new() { ViewportSize = new() { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true });
        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth");
        Assert.That(overflow, Is.LessThanOrEqualTo(0), "no sideways scrolling of the page");
        await Browser.ScreenshotAsync(page, "dashboard-phone");
    }
}
