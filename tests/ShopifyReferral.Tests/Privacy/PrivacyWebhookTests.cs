using System.Net;
using System.Text;
using System.Text.Json;
using Dapper;
using ShopifyReferral.Shops;
using ShopifyReferral.Tests.Infrastructure;
using ShopifyReferral.Webhooks;

namespace ShopifyReferral.Tests.Privacy;

/// <summary>The three compliance webhooks through the real app, checked against the database.</summary>
public class PrivacyWebhookTests
{
    private const string Shop = "demo-shop.myshopify.com";   // the shop of the payload files
    private const string Other = "other-shop.myshopify.com";
    private const long Friend = 207119551;
    private TestApp _app = null!;
    private HttpClient _http = null!;

    [SetUp]
    public async Task Start()
    {
        _app = new TestApp(new() { ["Webhooks:Workers"] = "0", ["Referrals:Background"] = "false" });
        _http = _app.CreateClient();
        await _app.Service<ShopStore>().MarkInstalledAsync(Shop, DateTimeOffset.UtcNow);
        await _app.Service<ShopStore>().MarkInstalledAsync(Other, DateTimeOffset.UtcNow);
        // The friend's order arrives through the inbox for both shops; a referral and a referrer are added by hand.
        foreach (var shop in new[] { Shop, Other })
            await DeliverAsync("orders/paid", Webhook.Payload("orders/paid/with-code.json"), shop);
        using var db = _app.OpenDb();
        foreach (var shop in new[] { Shop, Other })
        {
            var referrer = db.ExecuteScalar<long>("""
                INSERT INTO referrers (shop, customer_id, email, first_name, last_name, code, program_version, enrolled_at)
                VALUES (@shop, 115310627, 'jane.doe@example.com', 'Jane', 'Doe', 'SAMREF-7Q2K', 1, 0) RETURNING id
                """, new { shop });
            var referral = db.ExecuteScalar<long>("""
                INSERT INTO referrals (shop, order_id, referrer_id, code, friend_customer_id, friend_email, program_version, status,
                                       order_updated_at, created_at, updated_at)
                VALUES (@shop, 5893217321195, @referrer, 'SAMREF-7Q2K', @Friend, 'friend@example.com', 1, 'pending', 0, 0, 0) RETURNING id
                """, new { shop, referrer, Friend });
            db.Execute("INSERT INTO referral_checks VALUES (@referral, 'friend_not_new', 'pass', 'friend@example.com has no earlier order', 0)", new { referral });
        }
    }

    [TearDown]
    public void Stop()
    {
        _http.Dispose();
        _app.Dispose();
    }

    private async Task DeliverAsync(string topic, byte[] body, string shop = Shop)
    {
        var response = await _http.SendAsync(Webhook.Request(topic, body, shop: shop));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await _app.Service<WebhookProcessor>().RunOnceAsync(default);
    }

    private long Count(string sql, string shop = Shop) => _app.Count(sql, new { shop });

    [Test]
    public async Task DataRequest_StoresAnExportTheMerchantFetches()
    {
        await DeliverAsync("customers/data_request", Webhook.Payload("customers/data_request/default.json"));
        await DeliverAsync("customers/data_request", Webhook.Payload("customers/data_request/default.json")); // redelivered

        Assert.That(Count("SELECT COUNT(*) FROM privacy_exports WHERE shop = @shop"), Is.EqualTo(1));
        var id = _app.Count("SELECT id FROM privacy_exports");
        var response = await _http.SendAsync(Sessions.Get($"/api/privacy/exports/{id}", Sessions.Token(Shop)));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var export = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("export");
        Assert.That(export.GetProperty("data_request_id").GetInt64(), Is.EqualTo(9831));
        Assert.That(export.GetProperty("orders")[0].GetProperty("email").GetString(), Is.EqualTo("friend@example.com"));
        Assert.That(export.GetProperty("referrals_as_friend").GetArrayLength(), Is.EqualTo(1));
        Assert.That(export.GetProperty("webhook_payloads").EnumerateArray().Select(p => p.GetProperty("Topic").GetString()),
            Is.EquivalentTo(new[] { "orders/paid", "customers/data_request" }), "the raw deliveries that mention the customer");

        var foreign = await _http.SendAsync(Sessions.Get($"/api/privacy/exports/{id}", Sessions.Token(Other)));
        Assert.That(foreign.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "another shop's session cannot read it");
    }

    [Test]
    public async Task CustomerRedact_BlanksPersonalDataKeepsCounts()
    {
        await DeliverAsync("customers/data_request", Webhook.Payload("customers/data_request/default.json"));
        await DeliverAsync("customers/redact", Webhook.Payload("customers/redact/default.json"));

        using var db = _app.OpenDb();
        var order = db.QuerySingle("SELECT email, email_key, phone, browser_ip, user_agent, shipping_fingerprint, customer_id, total_price FROM orders WHERE shop = @Shop", new { Shop });
        Assert.That(new object?[] { order.email, order.email_key, order.phone, order.browser_ip, order.user_agent, order.shipping_fingerprint, order.customer_id },
            Is.All.Null);
        Assert.That((string)order.total_price, Is.Not.Null, "the numbers stay for analytics");
        Assert.That(db.QuerySingle<(string?, long?)>("SELECT friend_email, friend_customer_id FROM referrals WHERE shop = @Shop", new { Shop }),
            Is.EqualTo(((string?)null, (long?)null)));
        Assert.That(Count("SELECT COUNT(*) FROM referrals WHERE shop = @shop"), Is.EqualTo(1), "the referral still counts");
        Assert.That(db.ExecuteScalar<string>("SELECT evidence FROM referral_checks c JOIN referrals r ON r.id = c.referral_id WHERE r.shop = @Shop", new { Shop }),
            Does.Not.Contain("friend@"));
        Assert.That(Count("SELECT COUNT(*) FROM privacy_exports WHERE shop = @shop"), Is.Zero, "the export held the same data");
        var bodies = db.Query<byte[]>("SELECT body FROM webhook_inbox WHERE shop = @Shop AND topic = 'orders/paid'", new { Shop })
            .Select(b => Encoding.UTF8.GetString(b)).ToList();
        Assert.That(bodies, Is.EqualTo(new[] { """{"redacted":true}""" }), "the raw order held names, addresses and IPs");
        // Jane, the referrer, was not the customer redacted; the other shop is untouched.
        Assert.That(db.ExecuteScalar<string>("SELECT email FROM referrers WHERE shop = @Shop", new { Shop }), Is.EqualTo("jane.doe@example.com"));
        Assert.That(db.ExecuteScalar<string>("SELECT email FROM orders WHERE shop = @Other", new { Other }), Is.EqualTo("friend@example.com"));
    }

    [Test]
    public async Task CustomerRedact_ReferrerByEmailOnly_NamesAndEmailGone()
    {
        await DeliverAsync("customers/redact", Encoding.UTF8.GetBytes(
            """{"shop_id":1,"shop_domain":"demo-shop.myshopify.com","customer":{"email":"Jane.Doe@example.com"},"orders_to_redact":[]}"""));

        using var db = _app.OpenDb();
        Assert.That(db.QuerySingle<(string?, string?, string?)>("SELECT email, first_name, last_name FROM referrers WHERE shop = @Shop", new { Shop }),
            Is.EqualTo(((string?)null, (string?)null, (string?)null)));
        Assert.That(Count("SELECT COUNT(*) FROM referrers WHERE shop = @shop"), Is.EqualTo(1));
    }

    [Test]
    public async Task ShopRedact_DeletesEveryRowOfTheShopOnly()
    {
        await DeliverAsync("customers/data_request", Webhook.Payload("customers/data_request/default.json"));
        await _app.Service<ShopTokens>().SaveAsync(Shop, new ShopToken("shpat_gone", null, null, null, "read_orders"), default);

        await DeliverAsync("shop/redact", Webhook.Payload("shop/redact/default.json"));

        using var db = _app.OpenDb();
        var tables = db.Query<string>("SELECT m.name FROM sqlite_master m JOIN pragma_table_info(m.name) c WHERE m.type = 'table' AND c.name = 'shop'").ToList();
        Assert.That(tables, Does.Contain("webhook_inbox").And.Contain("orders").And.Contain("shop_tokens").And.Contain("privacy_exports"));
        foreach (var table in tables)
            Assert.That(db.ExecuteScalar<long>($"SELECT COUNT(*) FROM {table} WHERE shop = @Shop", new { Shop }), Is.Zero, table);
        Assert.That(db.ExecuteScalar<long>("SELECT COUNT(*) FROM referral_checks"), Is.EqualTo(1), "only the other shop's check is left");
        Assert.That(Count("SELECT COUNT(*) FROM orders WHERE shop = @shop", Other), Is.EqualTo(1));
        Assert.That(Count("SELECT COUNT(*) FROM referrers WHERE shop = @shop", Other), Is.EqualTo(1));
    }
}
