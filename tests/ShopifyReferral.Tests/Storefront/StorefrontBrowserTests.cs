using Microsoft.Playwright;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.Storefront;

/// <summary>
/// The referral page in real headless Chromium, through a stand-in storefront that proxies and signs like Shopify,
/// to the app on a real Kestrel port. Screenshots land in artifacts/screenshots/ and on the test result.
/// </summary>
[Category(Infrastructure.TestProvider.Browser)]
[NonParallelizable]
public class StorefrontBrowserTests
{
    private const string Shop = "alpha.myshopify.com";
    private TestApp _app = null!;
    private ShopifyAppProxy _storefront = null!;
    private Browser _browser = null!;

    [SetUp]
    public async Task Start()
    {
        _browser = await Browser.LaunchAsync();
        _app = new TestApp(StorefrontSeed.Settings(), kestrel: true);
        var appAddress = _app.CreateClient().BaseAddress!;
        await StorefrontSeed.InstallAsync(_app, Shop);
        _storefront = await ShopifyAppProxy.StartAsync(appAddress, Shop);
    }

    [TearDown]
    public async Task Stop()
    {
        if (_storefront is not null) await _storefront.DisposeAsync();
        _app?.Dispose();
        if (_browser is not null) await _browser.DisposeAsync();
    }

    [Test]
    public async Task Anonymous_SeesTheProgramAndALoginLink()
    {
        var page = await _browser.NewPageAsync(_storefront.BaseAddress);
        var response = await page.GotoAsync(ProxyQuery.Prefix);
        Assert.That(response!.Status, Is.EqualTo(200));
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Give 10% off, get 10 off your next order");
        foreach (var question in new[] { "How do I join?", "What do I get for each referral?", "When do I get it?", "How do I redeem it?" })
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = question })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Log in to join" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("form")).ToHaveCountAsync(0);
        await Browser.ScreenshotAsync(page, "proxy-anonymous");
    }

    [Test]
    public async Task LoggedIn_ClicksJoin_GetsCodeShareLinkAndButtons()
    {
        _storefront.LoggedInCustomerId = 555;
        var page = await _browser.NewPageAsync(_storefront.BaseAddress);
        await page.GotoAsync(ProxyQuery.Prefix);
        await Browser.ScreenshotAsync(page, "proxy-logged-in-before-join");
        await page.GetByRole(AriaRole.Button, new() { Name = "Join and get my code" }).ClickAsync();

        // Post/redirect/get: the browser is back on the storefront page, now enrolled.
        await Assertions.Expect(page.Locator("#code")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^FRIEND-[2-9A-Z]{4}$"));
        Assert.That(new Uri(page.Url).AbsolutePath, Is.EqualTo(ProxyQuery.Prefix));
        var code = await page.Locator("#code").TextContentAsync();
        await Assertions.Expect(page.Locator("#share-link")).ToHaveValueAsync($"http://127.0.0.1:5999/r/{code}?ch=copy&s=alpha");
        foreach (var name in new[] { "Email", "SMS", "WhatsApp", "Facebook", "X" })
            await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = name, Exact = true })).ToBeVisibleAsync();
        var copy = page.GetByRole(AriaRole.Button, new() { Name = "Copy link" });
        await copy.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Copied!" })).ToBeVisibleAsync();
        Assert.That(_app.Count("SELECT COUNT(*) FROM referrers WHERE shop = @Shop AND customer_id = 555 AND code = @code", new { Shop, code }), Is.EqualTo(1));
        await Browser.ScreenshotAsync(page, "proxy-joined");
    }

    [Test]
    public async Task Enrolled_SeesReferralsAndRewards()
    {
        var jane = await StorefrontSeed.EnrolAsync(_app, Shop, 777);
        StorefrontSeed.AddReferral(_app, jane, 1001, "rewarded", "issued", "THANKS-ABCDEF2345");
        StorefrontSeed.AddReferral(_app, jane, 1002, "pending");
        StorefrontSeed.AddReferral(_app, jane, 1003, "review");
        _storefront.LoggedInCustomerId = 777;
        var page = await _browser.NewPageAsync(_storefront.BaseAddress, width: 1280, height: 900);
        await page.GotoAsync(ProxyQuery.Prefix);
        await Assertions.Expect(page.Locator("#code")).ToHaveTextAsync(jane.Code);
        await Assertions.Expect(page.Locator("#referrals tbody tr")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("#rewards")).ToContainTextAsync("THANKS-ABCDEF2345");
        await Assertions.Expect(page.Locator("#referrals")).ToContainTextAsync("Being checked by the shop");
        await Browser.ScreenshotAsync(page, "proxy-enrolled-desktop");
    }

    [Test]
    public async Task WithoutJavaScript_JoinWorks_AndTheLinkIsStillThere()
    {
        _storefront.LoggedInCustomerId = 556;
        var page = await _browser.NewPageWithoutScriptAsync(_storefront.BaseAddress);
        await page.GotoAsync(ProxyQuery.Prefix);
        await page.GetByRole(AriaRole.Button, new() { Name = "Join and get my code" }).ClickAsync();
        await Assertions.Expect(page.Locator("#share-link")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#share-link")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("/r/FRIEND-"));
        // The copy button needs script, so without it the button stays hidden and the link stays selectable.
        await Assertions.Expect(page.Locator("[data-copy]")).ToBeHiddenAsync();
        await Browser.ScreenshotAsync(page, "proxy-joined-no-js");
    }
}
