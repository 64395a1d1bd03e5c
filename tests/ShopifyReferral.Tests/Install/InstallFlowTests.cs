using System.Net;
using System.Text;
using Dapper;
using ShopifyReferral.Referrals;
using ShopifyReferral.Sandbox.OAuth;
using ShopifyReferral.Shops;
using ShopifyReferral.Tests.Infrastructure;
using ShopifyReferral.Webhooks;

namespace ShopifyReferral.Tests.Install;

/// <summary>Installs through the sandbox store over real HTTP: install → authorize → callback → tokens, subscriptions, program.</summary>
public class InstallFlowTests
{
    private const string Shop = "install-me.myshopify.com";
    private InstallHarness _h = null!;

    [SetUp]
    public async Task Start() => _h = await InstallHarness.StartAsync();

    [TearDown]
    public async Task Stop() { if (_h is not null) await _h.DisposeAsync(); }

    [Test]
    public async Task Install_EndToEnd_TokensEncryptedSubscriptionsAndDefaultProgram()
    {
        var result = await _h.Store.InstallAppAsync(Shop, _h.AppUrl);

        Assert.That(result.CallbackStatus, Is.EqualTo(302));
        Assert.That(result.Location, Is.EqualTo($"/app?shop={Shop}&host=" + Uri.EscapeDataString(Convert.ToBase64String(Encoding.UTF8.GetBytes(Shop + "/admin")).TrimEnd('='))));
        Assert.That((await _h.Get<ShopStore>().FindAsync(Shop))?.Status, Is.EqualTo("installed"));
        var token = await _h.Get<ShopTokens>().FindAsync(Shop, default);
        Assert.That(token!.AccessToken, Does.StartWith("shpat_"));
        Assert.That(token.ExpiresAt, Is.EqualTo(_h.Time.GetUtcNow().AddHours(1)), "an expiring offline token");
        Assert.That(_h.Store.WebhookSubscriptions(Shop).Select(s => (s.Topic, s.Uri)), Is.EquivalentTo(new[]
        {
            "ORDERS_CREATE", "ORDERS_PAID", "ORDERS_UPDATED", "ORDERS_CANCELLED", "REFUNDS_CREATE", "APP_UNINSTALLED",
            "DISCOUNTS_UPDATE", "DISCOUNTS_DELETE", "DISCOUNTS_REDEEMCODE_REMOVED",
        }.Select(t => (t, _h.AppUrl + "webhooks"))));
        Assert.That((await _h.Get<ProgramStore>().FindAsync(Shop, null))?.Version, Is.EqualTo(1), "a default program");
        Assert.That(_h.App.Count("SELECT COUNT(*) FROM oauth_states"), Is.Zero, "the state was used up");

        // Encrypted at rest: neither token appears in the database file or its WAL, as text or as UTF-16. (A server
        // database's files are the server's; there the column check below stands for it.)
        var files = _h.App.Database.Provider == ShopifyReferral.Data.DatabaseProvider.Sqlite ? new[] { _h.App.DbPath, _h.App.DbPath + "-wal" } : [];
        var bytes = files.Where(File.Exists)
            .SelectMany(p => { using var f = new FileStream(p, FileMode.Open, FileAccess.Read, FileShare.ReadWrite); using var m = new MemoryStream(); f.CopyTo(m); return m.ToArray(); })
            .ToArray();
        foreach (var secret in new[] { token.AccessToken, token.RefreshToken! })
        {
            Assert.That(IndexOf(bytes, Encoding.UTF8.GetBytes(secret)), Is.EqualTo(-1), "plain token in the database file");
            Assert.That(IndexOf(bytes, Encoding.Unicode.GetBytes(secret)), Is.EqualTo(-1));
        }
        using var db = _h.App.OpenDb();
        Assert.That(db.ExecuteScalar<string>("SELECT access_token FROM shop_tokens"), Does.StartWith("dp1:"));
    }

    [Test]
    public async Task Install_Twice_SubscriptionsNotDuplicatedProgramKept()
    {
        await _h.Store.InstallAppAsync(Shop, _h.AppUrl);
        var again = await _h.Store.InstallAppAsync(Shop, _h.AppUrl);

        Assert.That(again.CallbackStatus, Is.EqualTo(302));
        Assert.That(_h.Store.WebhookSubscriptions(Shop), Has.Count.EqualTo(ShopifyReferral.Install.WebhookSubscriptions.Topics.Count));
        Assert.That(_h.App.Count("SELECT COUNT(*) FROM programs WHERE shop = @Shop", new { Shop }), Is.EqualTo(1));
    }

    [Test]
    public async Task Reinstall_AfterUninstall_Works()
    {
        await _h.Store.InstallAppAsync(Shop, _h.AppUrl);
        _h.Store.Uninstall(Shop);
        await _h.Http.SendAsync(Webhook.Request("app/uninstalled", Encoding.UTF8.GetBytes("""{"id":1,"domain":"install-me.myshopify.com"}"""),
            shop: Shop, secret: _h.Store.Options.ClientSecret, triggeredAt: _h.Time.GetUtcNow()));
        await _h.Get<WebhookProcessor>().RunOnceAsync(default);
        Assert.That((await _h.Get<ShopStore>().FindAsync(Shop))?.Status, Is.EqualTo("uninstalled"));
        Assert.That(await _h.Get<ShopTokens>().FindAsync(Shop, default), Is.Null);

        var result = await _h.Store.InstallAppAsync(Shop, _h.AppUrl);

        Assert.That(result.CallbackStatus, Is.EqualTo(302));
        Assert.That((await _h.Get<ShopStore>().FindAsync(Shop))?.Status, Is.EqualTo("installed"));
        Assert.That(_h.Store.WebhookSubscriptions(Shop), Has.Count.EqualTo(ShopifyReferral.Install.WebhookSubscriptions.Topics.Count), "Shopify dropped them at uninstall; the install made them again");
        Assert.That(await _h.Get<ShopTokens>().GetAccessTokenAsync(Shop, default), Does.StartWith("shpat_"));
    }

    [Test]
    public async Task TokenExchange_SessionToken_InstallsWithoutRedirects()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/auth/token-exchange");
        request.Headers.Authorization = new("Bearer", _h.Store.IssueSessionToken(Shop));

        var response = await _h.Http.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That((await _h.Get<ShopStore>().FindAsync(Shop))?.Status, Is.EqualTo("installed"));
        Assert.That(_h.Store.WebhookSubscriptions(Shop), Has.Count.EqualTo(ShopifyReferral.Install.WebhookSubscriptions.Topics.Count));
        Assert.That((await _h.Get<ShopTokens>().FindAsync(Shop, default))?.RefreshToken, Is.Not.Null);
    }

    [Test]
    public async Task TokenExchange_ForgedSessionToken_401NothingStored()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/auth/token-exchange");
        request.Headers.Authorization = new("Bearer", ShopifySigning.SessionToken(Shop, _h.Store.Options.ClientId, "not-the-secret", _h.Time.GetUtcNow()));

        var response = await _h.Http.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(_h.App.Count("SELECT COUNT(*) FROM shops"), Is.Zero);
    }

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);
}
