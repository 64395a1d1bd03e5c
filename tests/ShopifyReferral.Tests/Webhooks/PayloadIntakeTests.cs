using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using ShopifyReferral.Tests.Infrastructure;
using ShopifyReferral.Webhooks;
using static ShopifyReferral.Tests.Webhooks.Payloads;

namespace ShopifyReferral.Tests.Webhooks;

/// <summary>Each payload file, signed and posted to the real app with its workers running, ends where it should.</summary>
public class PayloadIntakeTests
{
    private TestApp _app = null!;
    private HttpClient _http = null!;

    [SetUp]
    public void Start()
    {
        _app = new TestApp();
        _http = _app.CreateClient();
    }

    [TearDown]
    public void Stop() => _app?.Dispose();

    private async Task PostAsync(string file, string? webhookId = null)
    {
        var response = await _http.SendAsync(Webhook.Request(Topic(file), Bytes(file), webhookId, Shop));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), file);
    }

    private Task Settled(int rows) => Eventually.True(
        () => _app.Count("SELECT COUNT(*) FROM webhook_inbox WHERE status IN ('done', 'skipped', 'failed')") == rows,
        TimeSpan.FromSeconds(10), $"{rows} processed inbox row(s)");

    [TestCaseSource(typeof(Payloads), nameof(Payloads.Kept))]
    public async Task Post_Payload_Returns200_StoresRawBytes_AndIsHandled(string file)
    {
        await PostAsync(file, webhookId: "wh-" + file);
        await Settled(1);

        using var db = _app.OpenDb();
        var row = db.QuerySingle("SELECT topic, shop, body, status, last_error FROM webhook_inbox");
        var handled = _app.Services.GetServices<IWebhookHandler>().SelectMany(h => h.Topics).Contains(Topic(file));
        Assert.Multiple(() =>
        {
            Assert.That((string)row.topic, Is.EqualTo(Topic(file)));
            Assert.That((string)row.shop, Is.EqualTo(Shop));
            Assert.That((byte[])row.body, Is.EqualTo(Bytes(file)));
            Assert.That((string)row.status, Is.EqualTo(handled ? "done" : "skipped"), (string?)row.last_error);
        });
    }

    [TestCaseSource(typeof(Payloads), nameof(Orders))]
    public async Task Post_Order_RecorderStoresIt(string file)
    {
        var o = Json(file);
        await PostAsync(file);
        await Settled(1);

        using var db = _app.OpenDb();
        var row = db.QuerySingle("SELECT * FROM orders WHERE shop = @Shop AND order_id = @id", new { Shop, id = o.GetProperty("id").GetInt64() });
        var customer = o.GetProperty("customer");
        Assert.Multiple(() =>
        {
            Assert.That((string)row.name, Is.EqualTo(o.GetProperty("name").GetString()));
            Assert.That((long?)row.customer_id, Is.EqualTo(customer.ValueKind == System.Text.Json.JsonValueKind.Null ? null : customer.GetProperty("id").GetInt64()));
            Assert.That((string)row.email, Is.EqualTo(o.GetProperty("email").GetString()));
            Assert.That((string)row.financial_status, Is.EqualTo(o.GetProperty("financial_status").GetString()));
            Assert.That((long)row.test == 1, Is.EqualTo(o.GetProperty("test").GetBoolean()));
            Assert.That((long)row.cancelled == 1, Is.EqualTo(Topic(file) == "orders/cancelled"));
            Assert.That((long)row.total_minor, Is.EqualTo((long)(Money(o, "total_price") * 100)), "total_price in cents");
            Assert.That((long)row.subtotal_minor, Is.EqualTo((long)(Money(o, "subtotal_price") * 100)), "subtotal_price in cents");
            Assert.That((string)row.discount_codes, Is.EqualTo(string.Join(',', Items(o, "discount_codes").Select(d => d.GetProperty("code").GetString()))));
            Assert.That((string)row.last_topic, Is.EqualTo(Topic(file)));
        });
    }

    [Test]
    public async Task Post_WithCodeLifecycleOutOfOrder_KeepsTheLatestState()
    {
        // Shopify does not order deliveries: the cancellation arrives before the earlier states.
        foreach (var topic in new[] { "orders/cancelled", "orders/paid", "orders/create", "orders/updated" })
            await PostAsync($"{topic}/with-code.json");
        await Settled(4);

        using var db = _app.OpenDb();
        var row = db.QuerySingle("SELECT last_topic, cancelled, financial_status FROM orders WHERE order_id = @id", new { id = WithCodeOrderId });
        Assert.That(((string)row.last_topic, (long)row.cancelled, (string)row.financial_status), Is.EqualTo(("orders/cancelled", 1L, "refunded")));
        Assert.That(_app.Count("SELECT COUNT(*) FROM orders"), Is.EqualTo(1));
    }

    [TestCase("refunds/create/partial.json", "17.32")]
    [TestCase("refunds/create/full.json", "91.60")]
    public async Task Post_Refund_StoresItsAmountAgainstTheOrder(string file, string amount)
    {
        await PostAsync(file);
        await PostAsync(file); // a redelivery under a new webhook id: still one refund
        await Settled(2);

        using var db = _app.OpenDb();
        var row = db.QuerySingle("SELECT order_id, amount_minor FROM refunds");
        Assert.That(((long)row.order_id, (long)row.amount_minor),
            Is.EqualTo((WithCodeOrderId, (long)(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture) * 100))));
    }

    [Test]
    public async Task Post_AppUninstalled_MarksTheShopUninstalled()
    {
        await PostAsync("app/uninstalled/default.json");
        await Settled(1);
        Assert.That(_app.Count("SELECT COUNT(*) FROM shops WHERE shop = @Shop AND status = 'uninstalled'", new { Shop }), Is.EqualTo(1));
    }
}
