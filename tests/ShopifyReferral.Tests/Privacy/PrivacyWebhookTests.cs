using System.Net;
using System.Text.Json;
using Dapper;
using ShopifyReferral.Tests.Engine;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.Privacy;

/// <summary>The three mandatory privacy webhooks, checked against the database.</summary>
public class PrivacyWebhookTests
{
    private EngineHarness _h = null!;

    [SetUp]
    public async Task Start()
    {
        _h = await EngineHarness.StartAsync();
        await _h.EnrolJaneAsync();
        await _h.DeliverAsync("orders/paid/with-code.json");   // friend 207119551, friend@example.com
        await _h.DeliverAsync("orders/paid/without-code.json"); // someone else, untouched by the friend's requests
    }

    [TearDown]
    public async Task Stop() { if (_h is not null) await _h.DisposeAsync(); }

    private string Token(string shop = EngineHarness.Shop) =>
        Sessions.Token(shop, _h.Time.GetUtcNow(), secret: _h.Store.Options.ClientSecret, aud: _h.Store.Options.ClientId);

    [Test]
    public async Task DataRequest_StoresAnExportOfEverythingAboutTheCustomer_ForTheMerchantOnly()
    {
        await _h.DeliverAsync("customers/data_request/default.json");
        await _h.DeliverAsync("customers/data_request/default.json"); // a redelivery: one export

        var list = await _h.Http.SendAsync(Sessions.Get("/api/privacy/exports", Token()));
        var exports = JsonDocument.Parse(await list.Content.ReadAsStringAsync()).RootElement;
        Assert.That(exports.GetArrayLength(), Is.EqualTo(1));
        var id = exports[0].GetProperty("id").GetInt64();

        var response = await _h.Http.SendAsync(Sessions.Get($"/api/privacy/exports/{id}", Token()));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var export = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        // The tables keep epoch milliseconds; the export, like every API answer, gives times as ISO 8601 UTC.
        Assert.That(JsonTimes.Offenders(export).Concat(JsonTimes.Offenders(exports)), Is.Empty);
        Assert.That(export.GetProperty("data").GetProperty("orders")[0].GetProperty("created_at").GetString(), Does.EndWith("Z"));
        var data = export.GetProperty("data");
        Assert.That(data.GetProperty("orders").GetArrayLength(), Is.EqualTo(1));
        Assert.That(data.GetProperty("orders")[0].GetProperty("email").GetString(), Is.EqualTo("friend@example.com"));
        Assert.That(data.GetProperty("referrals_as_friend").GetArrayLength(), Is.EqualTo(1));

        var other = Token("other-shop.myshopify.com");
        Assert.That((await _h.Http.SendAsync(Sessions.Get($"/api/privacy/exports/{id}", other))).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task CustomerRedact_ErasesTheirPersonalDataAndKeepsTheCounts()
    {
        var ordersBefore = _h.App.Count("SELECT COUNT(*) FROM orders");
        await _h.DeliverAsync("customers/redact/default.json");

        using var db = _h.App.OpenDb();
        var order = db.QuerySingle("SELECT * FROM orders WHERE order_id = 5893217321195");
        Assert.That(((object?)order.email, (object?)order.phone, (object?)order.browser_ip, (object?)order.user_agent, (object?)order.shipping_fingerprint),
            Is.EqualTo(((object?)null, (object?)null, (object?)null, (object?)null, (object?)null)));
        Assert.That((long)order.customer_id, Is.Negative, "a pseudonym keeps the customer countable");
        Assert.That(db.ExecuteScalar<long>("SELECT COUNT(*) FROM orders"), Is.EqualTo(ordersBefore));
        Assert.That(db.ExecuteScalar<string?>("SELECT friend_email FROM referrals"), Is.Null);
        Assert.That(db.Query<string>("SELECT evidence FROM referral_checks").Distinct(), Is.EqualTo(new[] { "Redacted at the customer's request." }));
        Assert.That(db.Query<string>("SELECT reason FROM referral_decisions").Distinct(), Is.EqualTo(new[] { "Redacted at the customer's request." }));
        Assert.That(db.ExecuteScalar<string>("SELECT email FROM orders WHERE order_id <> 5893217321195"), Is.Not.Null, "other customers untouched");

        var bodies = db.Query<byte[]>("SELECT body FROM webhook_inbox").Select(b => System.Text.Encoding.UTF8.GetString(b)).ToList();
        Assert.That(bodies.Where(b => b.Contains("friend@example.com", StringComparison.OrdinalIgnoreCase)), Is.Empty);
    }

    /// <summary>
    /// A request may name tens of thousands of orders. Each id is a parameter, and SQL Server takes 2,100 a statement
    /// (SQLite 32,766), so the statements go in chunks: 40,000 ids redact and export like one.
    /// </summary>
    [Test]
    public async Task CustomerRedactAndDataRequest_FortyThousandOrderIds_MatchTheOrderAmongThem()
    {
        var ids = new System.Text.Json.Nodes.JsonArray([.. Enumerable.Range(1, 39_999).Select(i => (System.Text.Json.Nodes.JsonNode)(long)i)]);
        ids.Add(5893217321195);
        // Only the order ids point at the friend: another customer id and email.
        void Edit(System.Text.Json.Nodes.JsonObject p, string list)
        {
            p["customer"] = new System.Text.Json.Nodes.JsonObject { ["id"] = 1, ["email"] = "nobody@example.com" };
            p[list] = ids.DeepClone();
        }

        await _h.DeliverEditedAsync("customers/data_request/default.json", p => Edit(p, "orders_requested"));
        using var db = _h.App.OpenDb();
        var export = db.ExecuteScalar<string?>("SELECT body FROM privacy_exports");
        await _h.DeliverEditedAsync("customers/redact/default.json", p => Edit(p, "orders_to_redact")); // also deletes that export

        Assert.That(db.Query<string>("SELECT status FROM webhook_inbox WHERE topic LIKE 'customers/%'"), Is.EqualTo(new[] { "done", "done" }),
            db.ExecuteScalar<string?>("SELECT last_error FROM webhook_inbox WHERE topic LIKE 'customers/%' AND status <> 'done'"));
        var data = JsonDocument.Parse(export!).RootElement.GetProperty("data");
        Assert.That(data.GetProperty("orders").GetArrayLength(), Is.EqualTo(1));
        Assert.That(data.GetProperty("referrals_as_friend").GetArrayLength(), Is.EqualTo(1));
        Assert.That(db.ExecuteScalar<string?>("SELECT email FROM orders WHERE order_id = 5893217321195"), Is.Null);
        Assert.That(db.ExecuteScalar<string?>("SELECT friend_email FROM referrals"), Is.Null);
    }

    [Test]
    public async Task ShopRedact_DeletesEveryRowOfTheShop()
    {
        await _h.PassHoldAndIssueAsync();
        await _h.DeliverAsync("shop/redact/default.json");
        using var db = _h.App.OpenDb();
        var tables = db.Query<string>(ShopifyReferral.Data.SqlDialect.For(_h.App.Database.Provider).TablesWithShopColumn).ToList();
        Assert.That(tables, Has.Count.GreaterThan(8));
        foreach (var table in tables)
            Assert.That(db.ExecuteScalar<long>($"SELECT COUNT(*) FROM {table} WHERE shop = @s", new { s = EngineHarness.Shop }), Is.Zero, table);
        Assert.That(db.ExecuteScalar<long>("SELECT COUNT(*) FROM referral_checks"), Is.Zero);
        Assert.That(db.ExecuteScalar<long>("SELECT COUNT(*) FROM referral_decisions"), Is.Zero);
    }
}
