using Dapper;
using ShopifyReferral.Shops;
using ShopifyReferral.Tests.Engine;
using ShopifyReferral.Tests.Infrastructure;
using ShopifyReferral.Webhooks;

namespace ShopifyReferral.Tests.Shops;

public class AppUninstalledTests
{
    [Test]
    public async Task Uninstalled_MarksShopAndDropsItsTokenTwiceIsHarmless()
    {
        // Installed, token saved, before the uninstall was triggered (the request's X-Shopify-Triggered-At is 2026-11-21T15:03:14Z).
        var time = new ManualTime(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
        using var app = new TestApp(new() { ["Webhooks:Workers"] = "0" }, time);
        const string shop = "test-shop.myshopify.com";
        await app.Service<ShopStore>().MarkInstalledAsync(shop, time.GetUtcNow());
        await app.Service<ShopTokens>().SaveAsync(shop, new ShopToken("shpat_x", null, null, null, "read_orders"), default);
        var http = app.CreateClient();

        for (var i = 0; i < 2; i++)
        {
            await http.SendAsync(Webhook.Request("app/uninstalled", """{"id":548380009,"domain":"test-shop.myshopify.com"}"""));
            await app.Service<WebhookProcessor>().RunOnceAsync(default);
        }

        var found = await app.Service<ShopStore>().FindAsync(shop);
        Assert.That(found?.Status, Is.EqualTo("uninstalled"));
        Assert.That(await app.Service<ShopTokens>().FindAsync(shop, default), Is.Null);
        Assert.That(app.Count("SELECT COUNT(*) FROM webhook_inbox WHERE status = 'done'"), Is.EqualTo(2));
        Assert.ThrowsAsync<ShopNotInstalledException>(async () => await app.Service<ShopTokens>().GetAccessTokenAsync(shop, default));
    }

    [Test]
    public async Task StaleUninstallProcessedAfterAReinstall_IgnoredWithAReason_ShopKeepsItsNewToken()
    {
        await using var h = await EngineHarness.StartAsync();
        const string shop = EngineHarness.Shop;
        h.Time.Advance(TimeSpan.FromHours(1));
        h.Store.Uninstall(shop);
        // Shopify triggers app/uninstalled now; the app does not get to it before the merchant reinstalls.
        var sent = await h.Store.SendWebhookAsync(h.WebhookUrl, shop, "app/uninstalled", Webhook.Payload("app/uninstalled/default.json"));
        Assert.That(sent.StatusCode, Is.EqualTo(200));
        h.Time.Advance(TimeSpan.FromHours(1));
        await h.Get<ShopInstaller>().InstallAsync(shop, h.Store.CreateAuthorizationCode(shop), default);

        await h.ProcessAsync();

        Assert.That((await h.Get<ShopStore>().FindAsync(shop))?.Status, Is.EqualTo("installed"));
        Assert.That(await h.Get<ShopTokens>().GetAccessTokenAsync(shop, default), Is.Not.Empty, "the reinstall's token was not deleted");
        using var db = h.App.OpenDb();
        var (status, reason) = db.QuerySingle<(string, string?)>("SELECT status, last_error FROM webhook_inbox WHERE topic = 'app/uninstalled'");
        Assert.That(status, Is.EqualTo("skipped"));
        Assert.That(reason, Does.Contain("triggered at 2026-11-22T13:00:00").And.Contain("before the latest install"));
    }
}
