using Dapper;
using Microsoft.Extensions.DependencyInjection;
using ShopifyReferral.Sandbox;
using ShopifyReferral.DevHost;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.App;

/// <summary>The dev host without credentials: it starts the sandbox store, installs the demo shop and the app processes its order.</summary>
public class SandboxModeTests
{
    [Test]
    public async Task NoCredentials_RunsTheDemoEndToEnd()
    {
        using var app = new DevHostApp(new()
        {
            ["Shopify:ClientId"] = "", ["Shopify:ClientSecret"] = "", ["Shopify:AppUrl"] = "",
            ["Sandbox:Url"] = "http://127.0.0.1:0", ["Sandbox:Demo"] = "true",
        }, kestrel: true, environment: "Development");
        app.StartServer();

        Assert.That(app.Service<AppMode>().IsSandbox, Is.True);
        await Eventually.True(() => app.Count("SELECT COUNT(*) FROM webhook_inbox WHERE status = 'done'") == 2,
            TimeSpan.FromSeconds(20), "orders/create and orders/paid processed");

        using var db = app.OpenDb();
        var order = db.QuerySingle("SELECT shop, financial_status, discount_codes FROM orders");
        Assert.That(((string)order.shop, (string)order.financial_status, (string)order.discount_codes),
            Is.EqualTo((SandboxDemo.DemoShop, "paid", "SAMREF-7Q2K")));
        Assert.That(db.ExecuteScalar<string>("SELECT status FROM shops"), Is.EqualTo("installed"));
        Assert.That(db.ExecuteScalar<string>("SELECT access_token FROM shop_tokens WHERE shop = @s", new { s = SandboxDemo.DemoShop }),
            Does.StartWith("dp1:"), "encrypted at rest");
        Assert.That((await app.Service<ShopifyReferral.Shops.ShopTokens>().FindAsync(SandboxDemo.DemoShop, default))!.AccessToken, Does.StartWith("shpat_"));
        // Installed through /auth/install → authorize → /auth/callback, which subscribed the webhooks in the store.
        Assert.That(app.Service<SandboxHost>().Store.WebhookSubscriptions(SandboxDemo.DemoShop), Has.Count.EqualTo(ShopifyReferral.Install.WebhookSubscriptions.Topics.Count));
    }

    [Test]
    public void Credentials_NeverStartTheSandbox()
    {
        using var app = new DevHostApp();
        app.StartServer();
        Assert.That(app.Service<AppMode>().IsSandbox, Is.False);
        Assert.That(app.Services.GetService<SandboxStore>(), Is.Null);
        Assert.That(app.Services.GetService<SandboxHost>(), Is.Null);
    }
}
