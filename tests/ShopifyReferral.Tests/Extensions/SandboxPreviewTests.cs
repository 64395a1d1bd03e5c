using ShopifyReferral.Sandbox;
using ShopifyReferral.DevHost;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.Extensions;

/// <summary>
/// The dev host's sandbox mode end to end in real Chromium: the demo's friend ordered with Jane's code; /sandbox/thank-you renders
/// the built thank-you bundle, which calls the app with a token from the sandbox store, and the friend sees a code of
/// their own, a working tracked link and the thanks for joining through a friend.
/// </summary>
[Category(Infrastructure.TestProvider.Browser)]
public class SandboxPreviewTests
{
    [Test]
    public async Task ThankYouPage_ShowsTheBuyersOwnCodeAndAWorkingLink()
    {
        if (ExtensionBundle.Ensure.Value is { } why) Assert.Ignore("Sandbox preview test skipped: " + why);
        await using var browser = await Browser.LaunchAsync();
        using var app = new DevHostApp(new()
        {
            ["Shopify:ClientId"] = "", ["Shopify:ClientSecret"] = "", ["Shopify:AppUrl"] = "",
            ["Sandbox:Url"] = "http://127.0.0.1:0", ["Sandbox:Demo"] = "true",
        }, kestrel: true, environment: "Development");
        app.StartServer();
        await Eventually.True(() => app.Count("SELECT COUNT(*) FROM referrals") == 1, TimeSpan.FromSeconds(30), "the demo's referred order");
        var store = app.Service<SandboxHost>().Store;
        var order = store.Orders(SandboxDemo.DemoShop)[^1];

        var page = await browser.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        var baseUrl = app.Service<Microsoft.Extensions.Options.IOptions<ShopifyReferral.Shopify.ShopifyOptions>>().Value.AppUrl.TrimEnd('/');
        await page.GotoAsync($"{baseUrl}/sandbox/thank-you?order={order.Id}");
        await page.WaitForSelectorAsync("#referral-code", new() { Timeout = 15000 });
        Assert.That(errors, Is.Empty);
        await Browser.ScreenshotAsync(page, "sandbox-thank-you");

        var code = (await page.Locator("#referral-code").InnerTextAsync()).Trim();
        var referrer = await app.Service<ShopifyReferral.Referrals.ReferrerService>().FindAsync(SandboxDemo.DemoShop, order.CustomerId!.Value);
        Assert.That(code, Is.EqualTo(referrer!.Code), "the friend is now a referrer with this code");
        Assert.That(await page.Locator("#thanks-friend").InnerTextAsync(), Does.Contain("through a friend"));

        // The link works: /r/ records the click and sends the next friend to the shop with the code applied.
        var link = (await page.Locator("#referral-link").InnerTextAsync()).Trim();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var response = await http.GetAsync(link);
        Assert.That((int)response.StatusCode, Is.EqualTo(302));
        Assert.That(response.Headers.Location!.ToString(), Is.EqualTo($"https://{SandboxDemo.DemoShop}/discount/{code}?redirect=/&ref_ch=copy"));
        Assert.That(app.Count("SELECT COUNT(*) FROM share_clicks WHERE code = @code AND channel = 'copy'", new { code }), Is.EqualTo(1));
    }
}
