using System.Text.Json;
using Dapper;
using ShopifyReferral.Sandbox;
using ShopifyReferral.Tests.Engine;

namespace ShopifyReferral.Tests.Sandbox;

/// <summary>
/// The sandbox's refunds, cancellations and retried deliveries reach the app as Shopify's do: refunds/create then
/// orders/updated with the current amounts lowered and the original total kept; a retry with the same ids.
/// </summary>
public class SandboxOrderChangesTests
{
    private EngineHarness _h = null!;

    [SetUp]
    public async Task Start() => _h = await EngineHarness.StartAsync();

    [TearDown]
    public async Task Stop() { if (_h is not null) await _h.DisposeAsync(); }

    private async Task<long> PlaceAsync()
    {
        await _h.Store.PlaceOrderAsync(EngineHarness.Shop, new SandboxOrder { CustomerId = 7001, Subtotal = 80m, Tax = 8m }, _h.WebhookUrl);
        return _h.Store.Orders(EngineHarness.Shop)[^1].Id;
    }

    private static JsonElement Body(WebhookDeliveryResult d) => JsonDocument.Parse(d.Body).RootElement;

    [Test]
    public async Task Refund_SendsRefundThenUpdated_CurrentAmountsDrop_TotalStays()
    {
        var id = await PlaceAsync();
        var sent = await _h.Store.RefundAsync(EngineHarness.Shop, id, 30m, _h.WebhookUrl);

        Assert.That(sent.Select(d => (d.Topic, d.Succeeded)), Is.EqualTo(new[] { ("refunds/create", true), ("orders/updated", true) }));
        var refund = Body(sent[0]);
        var tx = refund.GetProperty("transactions")[0];
        Assert.That((tx.GetProperty("kind").GetString(), tx.GetProperty("status").GetString(), tx.GetProperty("amount").GetString()),
            Is.EqualTo(("refund", "success", "30.00")));
        Assert.That(refund.GetProperty("refund_line_items")[0].GetProperty("subtotal").GetString(), Is.EqualTo("30.00"));
        var order = Body(sent[1]);
        Assert.Multiple(() =>
        {
            Assert.That(order.GetProperty("financial_status").GetString(), Is.EqualTo("partially_refunded"));
            Assert.That(order.GetProperty("subtotal_price").GetString(), Is.EqualTo("80.00"));
            Assert.That(order.GetProperty("current_subtotal_price").GetString(), Is.EqualTo("50.00"));
            Assert.That(order.GetProperty("total_price").GetString(), Is.EqualTo("88.00"), "total_price is the original total");
            Assert.That(order.GetProperty("current_total_price").GetString(), Is.EqualTo("58.00"));
        });

        await _h.ProcessAsync();
        using var db = _h.App.OpenDb();
        Assert.That(db.QuerySingle<(long, long)>("SELECT total_minor, discounted_subtotal_minor FROM orders WHERE order_id = @id", new { id }),
            Is.EqualTo((8800L, 5000L)));
        Assert.That(db.QuerySingle<long>("SELECT amount_minor FROM refunds WHERE order_id = @id", new { id }), Is.EqualTo(3000L));
    }

    [Test]
    public async Task Cancel_PaidOrder_SendsCancelledThenUpdated_RefundedInFull()
    {
        var id = await PlaceAsync();
        var sent = await _h.Store.CancelOrderAsync(EngineHarness.Shop, id, _h.WebhookUrl);

        Assert.That(sent.Select(d => d.Topic), Is.EqualTo(new[] { "orders/cancelled", "orders/updated" }));
        var order = Body(sent[0]);
        Assert.That(order.GetProperty("cancelled_at").GetString(), Is.Not.Null);
        Assert.That(order.GetProperty("financial_status").GetString(), Is.EqualTo("refunded"));
        Assert.That(_h.Store.Orders(EngineHarness.Shop).Single(o => o.Id == id).CancelledAt, Is.Not.Null);
    }

    [Test]
    public async Task Redeliver_SameBytesIdsAndTriggeredAt_StoredOnce()
    {
        await PlaceAsync();
        var paid = _h.Store.Deliveries.Single(d => d.Topic == "orders/paid");
        _h.Time.Advance(TimeSpan.FromHours(3));
        var retry = await _h.Store.RedeliverAsync(paid);

        Assert.That((retry.WebhookId, retry.EventId, retry.TriggeredAt, retry.Body), Is.EqualTo((paid.WebhookId, paid.EventId, paid.TriggeredAt, paid.Body)));
        Assert.That(retry.Succeeded);
        Assert.That(_h.App.Count("SELECT COUNT(*) FROM webhook_inbox WHERE topic = 'orders/paid'"), Is.EqualTo(1));
    }
}
