using ShopifyReferral.Shops;
using ShopifyReferral.Tests.Infrastructure;
using ShopifyReferral.Webhooks;

namespace ShopifyReferral.Tests.Shops;

public class AppUninstalledTests
{
    [Test]
    public async Task Uninstalled_MarksShopAndDropsItsTokenTwiceIsHarmless()
    {
        using var app = new TestApp(new() { ["Webhooks:Workers"] = "0" });
        const string shop = "test-shop.myshopify.com";
        await app.Service<ShopStore>().MarkInstalledAsync(shop, DateTimeOffset.UtcNow);
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
}
