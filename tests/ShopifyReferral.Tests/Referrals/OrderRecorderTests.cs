using Dapper;
using ShopifyReferral.Tests.Infrastructure;
using ShopifyReferral.Webhooks;

namespace ShopifyReferral.Tests.Referrals;

/// <summary>orders/* and refunds/create as Shopify really delivers them: duplicated, out of order, stale.</summary>
public class OrderRecorderTests
{
    private TestApp _app = null!;
    private HttpClient _http = null!;

    [SetUp]
    public void Start()
    {
        _app = new TestApp(new() { ["Webhooks:Workers"] = "0" });
        _http = _app.CreateClient();
    }

    [TearDown]
    public void Stop() => _app?.Dispose();

    private static string Order(string updatedAt, string status, string? cancelledAt = null) =>
        OrderJson(updatedAt, status, cancelledAt is null ? "null" : "\"" + cancelledAt + "\"");

    private static string OrderJson(string updatedAt, string status, string cancelled) => $$"""
        {"id":5551234,"name":"#1042","email":"friend@example.com","financial_status":"{{status}}",
         "cancelled_at":{{cancelled}},"test":false,"currency":"USD",
         "subtotal_price":"90.00","total_price":"81.00","created_at":"2026-11-20T10:00:00-05:00","updated_at":"{{updatedAt}}",
         "discount_codes":[{"code":"samref-7q2k","amount":"9.00","type":"percentage"}],
         "customer":{"id":207119551,"email":"friend@example.com"} }
        """;

    private async Task DeliverAndProcess(string topic, string json, string? webhookId = null)
    {
        var response = await _http.SendAsync(Webhook.Request(topic, json, webhookId));
        Assert.That((int)response.StatusCode, Is.EqualTo(200));
        while (await _app.Service<WebhookProcessor>().RunOnceAsync(CancellationToken.None) > 0) { }
    }

    private dynamic OrderRow()
    {
        using var db = _app.OpenDb();
        return db.QuerySingle("SELECT * FROM orders WHERE order_id = 5551234");
    }

    [Test]
    public async Task Paid_RecordsTheFieldsTheEngineNeeds()
    {
        await DeliverAndProcess("orders/paid", Order("2026-11-20T10:00:05-05:00", "paid"));
        var row = OrderRow();
        Assert.Multiple(() =>
        {
            Assert.That((string)row.shop, Is.EqualTo("test-shop.myshopify.com"));
            Assert.That((string)row.financial_status, Is.EqualTo("paid"));
            Assert.That((string)row.discount_codes, Is.EqualTo("SAMREF-7Q2K"));
            Assert.That((long)row.customer_id, Is.EqualTo(207119551));
            Assert.That((long)row.total_minor, Is.EqualTo(8100), "81.00 in cents");
            Assert.That((long)row.cancelled, Is.EqualTo(0));
        });
    }

    [Test]
    public async Task StaleDeliveryAfterNewerOne_DoesNotGoBack()
    {
        await DeliverAndProcess("orders/cancelled", Order("2026-11-21T09:00:00-05:00", "voided", cancelledAt: "2026-11-21T09:00:00-05:00"));
        await DeliverAndProcess("orders/paid", Order("2026-11-20T10:00:05-05:00", "paid"));
        var row = OrderRow();
        Assert.That(((string)row.financial_status, (long)row.cancelled, (string)row.last_topic),
            Is.EqualTo(("voided", 1L, "orders/cancelled")));
    }

    [Test]
    public async Task NewerDelivery_Replaces()
    {
        await DeliverAndProcess("orders/create", Order("2026-11-20T10:00:00-05:00", "pending"));
        await DeliverAndProcess("orders/paid", Order("2026-11-20T10:00:05-05:00", "paid"));
        Assert.That((string)OrderRow().financial_status, Is.EqualTo("paid"));
        Assert.That(_app.Count("SELECT COUNT(*) FROM orders"), Is.EqualTo(1));
    }

    [Test]
    public async Task Refund_SameRefundTwiceUnderTwoWebhookIds_IsRecordedOnce()
    {
        const string refund = """
            {"id":909,"order_id":5551234,"created_at":"2026-11-22T10:00:00-05:00","transactions":[
              {"kind":"refund","status":"success","amount":"30.00"},{"kind":"refund","status":"failure","amount":"30.00"},
              {"kind":"refund","status":"success","amount":"5.50"}]}
            """;
        await DeliverAndProcess("refunds/create", refund);
        await DeliverAndProcess("refunds/create", refund);
        using var db = _app.OpenDb();
        Assert.That(db.Query<long>("SELECT amount_minor FROM refunds"), Is.EqualTo(new[] { 3550L }), "35.50 in cents");
    }

    [Test]
    public async Task OrderWithoutId_FailsAtOnceNamingTheField()
    {
        await DeliverAndProcess("orders/paid", """{"name":"#1","updated_at":"2026-11-20T10:00:05-05:00"}""");
        using var db = _app.OpenDb();
        var (status, error) = db.QuerySingle<(string, string)>("SELECT status, last_error FROM webhook_inbox");
        Assert.That(status, Is.EqualTo("failed"));
        Assert.That(error, Does.Contain("'id'"));
    }
}
