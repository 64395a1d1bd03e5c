using Dapper;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using ShopifyReferral.Tests.Engine;
using ShopifyReferral.Tests.Infrastructure;
using static ShopifyReferral.Tests.Dashboard.Seed;

namespace ShopifyReferral.Tests.Dashboard;

/// <summary>
/// The referrer and referral views in a real headless Chromium against the real app: what they show (rules' evidence,
/// the order, rewards, statuses as badges, amounts in the shop's currency and the admin's locale), their actions, and
/// axe-core's accessibility rules (no serious or critical violation) on the dashboard and both views.
/// </summary>
[Category(Infrastructure.TestProvider.Browser)]
public class DashboardViewsTests
{
    private const long OrderId = 5893217321195;
    private EngineHarness _h = null!;
    private Browser _browser = null!;
    private string _url = null!;
    private long _jane, _bob, _held;

    [SetUp]
    public async Task Start()
    {
        _browser = await Browser.LaunchAsync();
        _h = await EngineHarness.StartAsync();
        _jane = (await _h.EnrolJaneAsync()).Id;
        await _h.DeliverAsync("orders/create/with-code.json");
        await _h.DeliverAsync("orders/paid/with-code.json");
        using (var db = _h.App.OpenDb())
        {
            _held = _h.Referral(OrderId)!.Id;
            db.Execute("UPDATE referrals SET status = 'review', status_reason = 'Held: velocity rule.' WHERE id = @_held", new { _held });
            var seed = new Seed(db, EngineHarness.Shop);
            db.Execute("DELETE FROM referral_checks WHERE referral_id = @_held AND rule = 'velocity'", new { _held });
            seed.Check(_held, "velocity", "review", "3 friends ordered from 203.0.113.9 within a day (limit 2).", Noon(11, 21));
            for (var d = 1; d <= 20; d++) seed.Order(500 + d % 7, Noon(11, d), $"{20 + d % 30}.00");
            _bob = seed.Referrer(600, "Bob", "Stone", "bob@example.com", "BOB-5555", Noon(11, 3));
            seed.Referral(seed.Order(601, Noon(11, 12), "1234.50"), _bob, "rewarded", Noon(11, 12), "ann@example.com", "1234.50");
            seed.Reward(_bob, null, "seed", "fixed_amount", "10.00", "issued", Noon(11, 14), Noon(12, 31), "THANKS-SEEDED");
            seed.Clicks(_bob, "whatsapp", Noon(11, 5), 3);
            seed.PageViews("referral_page", Noon(11, 4), 40);
            seed.PageViews("referral_page", Noon(11, 5), 2);
            seed.PageViews("thank_you", Noon(11, 12), 7);
            seed.PageViews("account", Noon(12, 2), 5); // after the range
        }
        _h.Time.Advance(TimeSpan.FromDays(15));
        _url = $"{_h.WebhookUrl.GetLeftPart(UriPartial.Authority)}/app?shop={EngineHarness.Shop}&from=2026-11-01&to=2026-11-30";
    }

    [TearDown]
    public async Task Stop()
    {
        if (_h is not null) await _h.DisposeAsync();
        if (_browser is not null) await _browser.DisposeAsync();
    }

    private async Task<IPage> OpenAsync(string query = "", string hash = "")
    {
        var context = await _browser.Chromium.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var token = Sessions.Token(EngineHarness.Shop, _h.Time.GetUtcNow(), _h.Store.Options.ClientSecret, _h.Store.Options.ClientId, TimeSpan.FromHours(1));
        await context.AddInitScriptAsync($"window.shopifyReferralToken = async () => '{token}';");
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync(_url + query + hash);
        await page.WaitForSelectorAsync("body[data-ready=true]");
        Assert.That(errors, Is.Empty, "no script errors");
        Assert.That(await page.Locator("#error").IsHiddenAsync(), Is.True, await page.Locator("#error").InnerTextAsync());
        return page;
    }

    /// <summary>axe-core on the page as it is now: serious and critical violations fail the test, listed with their nodes.</summary>
    private static async Task AssertAccessibleAsync(IPage page, string what)
    {
        var result = await page.RunAxe();
        var bad = result.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Take(3).Select(n => n.Html))}").ToList();
        Assert.That(bad, Is.Empty, what);
        Assert.That(result.Passes, Is.Not.Empty, "axe ran its rules");
    }

    [Test]
    public async Task ReferrerView_ReferralsWithEvidenceAndRewards_BlockAndUnblock()
    {
        var page = await OpenAsync();
        await page.Locator("#referrers a", new() { HasText = "Jane Doe" }).ClickAsync();
        await page.WaitForSelectorAsync("body[data-view=referrers] #detail h1");
        Assert.That(await page.Locator("#detail h1").InnerTextAsync(), Does.Contain("Jane Doe"));
        Assert.That(await page.EvaluateAsync<string>("document.activeElement.tagName"), Is.EqualTo("H1"), "focus moves to the new view's heading");
        Assert.That(await page.Locator("#home").IsHiddenAsync(), Is.True, "the view replaces the dashboard");
        var referral = page.Locator("#rv-referrals tbody tr");
        Assert.That(await referral.CountAsync(), Is.EqualTo(1));
        Assert.That(await referral.InnerTextAsync(), Does.Contain("#1217").And.Contain("Needs review").And.Contain("203.0.113.9").And.Contain("$80.00"));
        Assert.That(await referral.Locator("td:nth-child(3) .badge").GetAttributeAsync("data-tone"), Is.EqualTo("warning"));
        Assert.That(await page.Locator("#rv-rewards").InnerTextAsync(), Does.Contain("No rewards yet"), "an empty state saying what comes next");
        await AssertAccessibleAsync(page, "referrer view");
        await Browser.ScreenshotAsync(page, "referrer-view");

        await page.Locator("#rv-block input[data-block-reason]").FillAsync("posted on a coupon site");
        await page.Locator("#rv-block button[data-block]").ClickAsync();
        await page.WaitForSelectorAsync("#detail h1 .badge:text('Blocked')");
        Assert.That(await page.Locator("#rv-block").InnerTextAsync(), Does.Contain("posted on a coupon site"));
        Assert.That(_h.App.Count("SELECT COUNT(*) FROM referrers WHERE id = @_jane AND blocked = @yes", new { _jane, yes = true }), Is.EqualTo(1));
        await Browser.ScreenshotAsync(page, "referrer-view-blocked");
        await page.Locator("#rv-block button[data-unblock]").ClickAsync();
        await page.WaitForSelectorAsync("#rv-block button[data-block]");
        Assert.That(_h.App.Count("SELECT COUNT(*) FROM referrers WHERE id = @_jane AND blocked = @no", new { _jane, no = false }), Is.EqualTo(1));

        await page.Locator("#detail a.back").ClickAsync();
        await page.WaitForSelectorAsync("body[data-view=home]");
        Assert.That(await page.Locator("#home").IsVisibleAsync(), Is.True);
    }

    [Test]
    public async Task ReferrerView_RewardsAndAmountsInTheAdminsLocale()
    {
        var page = await OpenAsync("&locale=de-DE", $"#/referrers/{_bob}");
        Assert.That(await page.GetAttributeAsync("html", "lang"), Is.EqualTo("de-DE"));
        var referral = await page.Locator("#rv-referrals tbody tr").InnerTextAsync();
        Assert.That(referral, Does.Contain("1.234,50\u00a0$").And.Contain("Rewarded"), "USD in German number format (Intl puts a no-break space before the sign)");
        var reward = page.Locator("#rv-rewards tbody tr");
        Assert.That(await reward.InnerTextAsync(), Does.Contain("THANKS-SEEDED").And.Contain("10,00\u00a0$").And.Contain("Issued"));
        Assert.That(await reward.Locator(".badge").GetAttributeAsync("data-tone"), Is.EqualTo("info"));
        await Browser.ScreenshotAsync(page, "referrer-view-de");
    }

    [Test]
    public async Task ReferralView_EachRulesEvidenceAndTheOrder_Approve()
    {
        var page = await OpenAsync();
        await page.Locator("#queue .referral a", new() { HasText = "#1217" }).ClickAsync();
        await page.WaitForSelectorAsync("body[data-view=referrals] #detail h1");
        Assert.That(await page.Locator("#home").IsHiddenAsync(), Is.True, "the view replaces the dashboard");
        Assert.That(await page.Locator("#detail h1").InnerTextAsync(), Does.Contain("Referral #1217").And.Contain("Needs review"));
        var rules = page.Locator("#fv-rules li");
        Assert.That(await rules.CountAsync(), Is.GreaterThan(1), "every rule the engine ran");
        var velocity = rules.Filter(new() { HasText = "Velocity" });
        Assert.That(await velocity.InnerTextAsync(), Does.Contain("review").And.Contain("3 friends ordered from 203.0.113.9"));
        Assert.That(await velocity.Locator(".badge").GetAttributeAsync("data-tone"), Is.EqualTo("warning"));
        var order = await page.Locator("#fv-order-h + dl").InnerTextAsync();
        Assert.That(order, Does.Contain("#1217").And.Contain("$80.00").And.Contain("friend@example.com"));
        Assert.That(await page.Locator("#fv-referrer-h + dl").InnerTextAsync(), Does.Contain("SAMREF-7Q2K"));
        await AssertAccessibleAsync(page, "referral view");
        await Browser.ScreenshotAsync(page, "referral-view");

        await page.Locator("#fv-decide button[data-approve]").ClickAsync();
        await page.WaitForSelectorAsync("#detail h1 .badge[data-status=approved]");
        Assert.That(_h.Referral(OrderId)!.Status, Is.EqualTo("approved"));
        Assert.That(await page.Locator("#fv-decide button").CountAsync(), Is.Zero, "nothing left to decide");
        Assert.That(await page.Locator("#fv-history-h ~ table").InnerTextAsync(), Does.Contain("merchant").And.Contain("Approved"));
        await Browser.ScreenshotAsync(page, "referral-view-approved");
    }

    [Test]
    public async Task Dashboard_PolarisLook_HumanLegends_Accessible()
    {
        var page = await OpenAsync();
        Assert.That(await page.Locator("#chart-orders .legend").InnerTextAsync(), Does.Contain("Referred orders").And.Not.Contain("referredOrders"));
        Assert.That(await page.Locator("#chart-revenue .legend").InnerTextAsync(), Does.Contain("Reward cost").And.Not.Contain("rewardCost"));
        // The Polaris tokens are served with the page (nothing from a CDN) and applied: the page's background is --p-color-bg.
        var (token, background) = (await page.EvaluateAsync<string>("getComputedStyle(document.documentElement).getPropertyValue('--p-color-bg').trim()"),
            await page.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor"));
        Assert.That(token, Is.EqualTo("rgba(241, 241, 241, 1)"));
        Assert.That(background, Is.EqualTo("rgb(241, 241, 241)"));
        Assert.That(await page.EvaluateAsync<string[]>("performance.getEntriesByType('resource').map(e => e.name).filter(n => !n.startsWith(location.origin))"), Is.Empty);
        Assert.That(await page.Locator("#referrers .badge.code-state[data-tone=success]").CountAsync(), Is.GreaterThanOrEqualTo(1));
        await AssertAccessibleAsync(page, "dashboard");
        await page.Keyboard.PressAsync("Tab");
        Assert.That(await page.EvaluateAsync<string>("getComputedStyle(document.activeElement).outlineStyle"), Is.EqualTo("solid"), "a visible focus ring");
        await Browser.ScreenshotAsync(page, "dashboard-polaris");
    }

    /// <summary>
    /// The headline KPIs and the funnel in words. Funnel for Nov 1–30: views 40 + 2 on the referral page, 7 on the thank-you
    /// page, none on the account page (Dec 2 is after the range) = 49; 3 WhatsApp clicks on Bob's link; referred orders:
    /// the payload order, whose landing_site has the shop's discount link without ref_ch (the code, no tracked link), and
    /// Bob's seeded one, from before channels were recorded (rewarded).
    /// </summary>
    [Test]
    public async Task Dashboard_KpisAndFunnel_InWords()
    {
        var page = await OpenAsync();
        Assert.That(await page.Locator("#kpis").InnerTextAsync(),
            Does.Contain("New customers by referral").And.Contain("Friends who became referrers").And.Contain("Referral AOV vs store"));
        var steps = await page.Locator("#funnel .funnel-steps").InnerTextAsync();
        Assert.That(steps, Does.Contain("Page views\n49").And.Contain("Referral page\n42").And.Contain("Thank-you page\n7").And.Contain("Account page\n0"));
        Assert.That(steps, Does.Contain("Share clicks\n3").And.Contain("Referred orders\n2").And.Contain("Rewarded referrals\n1"));
        var rows = await page.EvaluateAsync<string[][]>(
            "[...document.querySelectorAll('#funnel tbody tr')].map(r => [...r.cells].map(c => c.textContent.trim()))");
        Assert.That(rows, Is.EqualTo(new[]
        {
            new[] { "WhatsApp", "3", "0", "0%", "0", "–" },
            new[] { "Code typed at checkout", "0", "1", "–", "0", "0%" },
            new[] { "Before channels were recorded", "0", "1", "–", "1", "100%" },
            new[] { "All channels", "3", "2", "66.7%", "1", "50%" },
        }));
        await Browser.ScreenshotAsync(page, "dashboard-funnel");
    }

    [Test]
    public async Task UnknownReferral_SaysNotFound()
    {
        var page = await OpenAsync("", "#/referrals/999999");
        Assert.That(await page.Locator("#detail").InnerTextAsync(), Does.Contain("No referral 999999"));
    }
}
