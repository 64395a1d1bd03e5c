using System.Net;
using ShopifyReferral.DevHost;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.Dashboard;

/// <summary>How the page is served: App Bridge only inside the admin, framing limited to the shop, dev tokens only in sandbox mode.</summary>
public class DashboardServingTests
{
    [Test]
    public async Task Page_OutsideTheAdmin_NoThirdPartyScript_FramingLimitedToTheShop()
    {
        using var app = new TestApp(new() { ["Webhooks:Workers"] = "0", ["Referrals:Background"] = "false" });
        var http = app.CreateClient();
        var response = await http.GetAsync("/app?shop=alpha.myshopify.com");
        var html = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(html, Does.Contain("data-shop=\"alpha.myshopify.com\"").And.Contain("data-sandbox=\"false\""));
        Assert.That(html, Does.Not.Contain("cdn.shopify.com"));
        Assert.That(response.Headers.GetValues("Content-Security-Policy").Single(),
            Is.EqualTo("frame-ancestors https://alpha.myshopify.com https://admin.shopify.com;"));
        Assert.That((await http.GetAsync("/app/dashboard.js")).Content.Headers.ContentType!.MediaType, Is.EqualTo("text/javascript"));
        Assert.That((await http.GetAsync("/app/dev-token?shop=alpha.myshopify.com")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "never outside sandbox mode");
    }

    [Test]
    public async Task Page_EmbeddedInTheAdmin_LoadsAppBridgeWithTheClientId()
    {
        using var app = new TestApp(new() { ["Webhooks:Workers"] = "0", ["Referrals:Background"] = "false" });
        var html = await app.CreateClient().GetStringAsync("/app?shop=alpha.myshopify.com&host=YWRtaW4uc2hvcGlmeS5jb20vc3RvcmUvYWxwaGE&embedded=1");
        Assert.That(html, Does.Contain("<meta name=\"shopify-api-key\" content=\"test-client-id\">"));
        Assert.That(html, Does.Contain("<script src=\"https://cdn.shopify.com/shopifycloud/app-bridge.js\"></script>"));
    }

    [TestCase("")]
    [TestCase("?shop=evil.example.com")]
    [TestCase("?shop=%22%3E%3Cscript%3E.myshopify.com")]
    public async Task Page_BadShop_400Problem(string query)
    {
        using var app = new TestApp(new() { ["Webhooks:Workers"] = "0", ["Referrals:Background"] = "false" });
        var response = await app.CreateClient().GetAsync("/app" + query);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task SandboxMode_DevTokenOpensTheApiForTheDemoShop()
    {
        // The dev host serves the token; the app itself has no such route (ProductionAssemblyTests).
        using var app = new DevHostApp(new()
        {
            ["Shopify:ClientId"] = "", ["Shopify:ClientSecret"] = "", ["Shopify:AppUrl"] = "",
            ["Sandbox:Url"] = "http://127.0.0.1:0", ["Sandbox:Demo"] = "true",
        }, kestrel: true, environment: "Development");
        app.StartServer();
        var http = app.CreateClient();
        await Eventually.True(() => app.Count("SELECT COUNT(*) FROM shops WHERE shop = @s AND status = 'installed'", new { s = SandboxDemo.DemoShop }) == 1,
            TimeSpan.FromSeconds(20), "demo shop installed");
        Assert.That(await http.GetStringAsync($"/app?shop={SandboxDemo.DemoShop}"), Does.Contain("data-sandbox=\"true\""));
        var token = await http.GetStringAsync($"/app/dev-token?shop={SandboxDemo.DemoShop}");
        var response = await http.SendAsync(Sessions.Get("/api/referrals", token));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
