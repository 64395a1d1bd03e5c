using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ShopifyReferral.Sandbox;
using static ShopifyReferral.Tests.Sandbox.SandboxHttp;

namespace ShopifyReferral.Tests.Sandbox;

/// <summary>The sandbox as a webhook sender: Shopify's headers, HMAC over the raw body, checkout's orders/create then orders/paid.</summary>
[Category(Infrastructure.TestProvider.NoDatabase)]
public class SandboxWebhookTests : SandboxTestBase
{
    [Test]
    public async Task SendWebhook_ToReceiver_SignsRawBodyAndSendsShopifyHeaders()
    {
        await using var receiver = await WebhookReceiver.StartAsync(_store.Options.ClientSecret);
        var body = Encoding.UTF8.GetBytes("""{"id":820982911946154508,"email":"jon@example.com"}""");
        var result = await _store.SendWebhookAsync(receiver.Url, ShopA, "orders/paid", body, webhookId: "wh-1");

        Assert.That(result.StatusCode, Is.EqualTo(200));
        var got = receiver.All.Single();
        Assert.That(got.HmacValid, Is.True);
        Assert.That(got.Body, Is.EqualTo(body));
        Assert.That(got.Headers["X-Shopify-Topic"].ToString(), Is.EqualTo("orders/paid"));
        Assert.That(got.Headers["X-Shopify-Shop-Domain"].ToString(), Is.EqualTo(ShopA));
        Assert.That(got.Headers["X-Shopify-API-Version"].ToString(), Is.EqualTo("2026-10"));
        Assert.That(got.Headers["X-Shopify-Webhook-Id"].ToString(), Is.EqualTo("wh-1"));
        Assert.That(got.Headers["X-Shopify-Event-Id"].ToString(), Is.Not.Empty);
        Assert.That(got.Headers["X-Shopify-Triggered-At"].ToString(), Does.StartWith("2026-11-22T00:00:00").And.EndWith("Z"));
        Assert.That(got.Headers.ContentType.ToString(), Does.StartWith("application/json"));
        Assert.That(_store.Deliveries.Single().WebhookId, Is.EqualTo("wh-1"));
    }

    [Test]
    public async Task SendWebhook_ReceiverWithOtherSecret_RecordsFailedDelivery()
    {
        await using var receiver = await WebhookReceiver.StartAsync("another-secret");
        var result = await _store.SendWebhookAsync(receiver.Url, ShopA, "orders/paid", "{}"u8.ToArray());
        Assert.That(result.StatusCode, Is.EqualTo(401));
        Assert.That(result.Succeeded, Is.False);
    }

    [Test]
    public async Task SendWebhook_NobodyListening_RecordsErrorInsteadOfThrowing()
    {
        var result = await _store.SendWebhookAsync(new Uri("http://127.0.0.1:1/webhooks"), ShopA, "orders/paid", "{}"u8.ToArray());
        Assert.That(result.StatusCode, Is.EqualTo(0));
        Assert.That(result.Error, Is.Not.Null);
    }

    [Test]
    public async Task PlaceOrder_WithCustomer_SendsCreateThenPaidWithRestShape()
    {
        await using var receiver = await WebhookReceiver.StartAsync(_store.Options.ClientSecret);
        var results = await _store.PlaceOrderAsync(ShopA,
            new SandboxOrder { CustomerId = 207119551, Subtotal = 90m, DiscountCode = "THANKS-1", DiscountAmount = 10m }, receiver.Url);

        Assert.That(results.Select(r => r.Topic), Is.EqualTo(new[] { "orders/create", "orders/paid" }));
        Assert.That(results[0].WebhookId, Is.Not.EqualTo(results[1].WebhookId));
        var paid = JsonNode.Parse(receiver.All[1].Body)!;
        Assert.That((string?)paid["financial_status"], Is.EqualTo("paid"));
        Assert.That((string?)paid["total_discounts"], Is.EqualTo("10.00"));
        Assert.That((string?)paid["discount_codes"]![0]!["code"], Is.EqualTo("THANKS-1"));
        Assert.That((long?)paid["customer"]!["id"], Is.EqualTo(207119551));
        Assert.That((string?)paid["admin_graphql_api_id"], Does.StartWith("gid://shopify/Order/"));
        Assert.That(_store.Shop(ShopA).FindCustomer(207119551)!.NumberOfOrders, Is.EqualTo(1));
    }

    [Test]
    public async Task PlaceOrder_Guest_SendsNullCustomer()
    {
        await using var receiver = await WebhookReceiver.StartAsync(_store.Options.ClientSecret);
        await _store.PlaceOrderAsync(ShopA, new SandboxOrder(), receiver.Url);
        var created = JsonNode.Parse(receiver.All[0].Body)!.AsObject();
        Assert.That(created.ContainsKey("customer") && created["customer"] is null, Is.True);
        Assert.That((string?)created["financial_status"], Is.EqualTo("pending"));
    }
}
