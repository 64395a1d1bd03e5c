using System.Net;
using System.Text;
using Dapper;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.Webhooks;

/// <summary>POST /webhooks on the request path: verification, bad input, the durable insert and dedupe.</summary>
public class WebhookIntakeTests
{
    private const string Body = """{"id":820982911946154508,"email":"jon@example.com"}""";
    private TestApp _app = null!;
    private HttpClient _http = null!;

    // Workers off: these tests look at rows exactly as the request path stored them.
    [SetUp]
    public void Start()
    {
        _app = new TestApp(new() { ["Webhooks:Workers"] = "0" });
        _http = _app.CreateClient();
    }

    [TearDown]
    public void Stop() => _app?.Dispose();

    private long Rows => _app.Count("SELECT COUNT(*) FROM webhook_inbox");

    [Test]
    public async Task Post_ValidSignature_StoresEveryFieldAndRawBytes()
    {
        var body = Encoding.UTF8.GetBytes("{ \"id\" : 1,\n \"note\": \"spaces kept\" }");
        var request = Webhook.Request("orders/paid", body, webhookId: "wh-1", shop: "Test-Shop.myshopify.com");
        var response = await _http.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var db = _app.OpenDb();
        var row = db.QuerySingle("SELECT * FROM webhook_inbox");
        Assert.Multiple(() =>
        {
            Assert.That((string)row.shop, Is.EqualTo("test-shop.myshopify.com"));
            Assert.That((string)row.topic, Is.EqualTo("orders/paid"));
            Assert.That((string)row.webhook_id, Is.EqualTo("wh-1"));
            Assert.That((string)row.event_id, Is.Not.Empty);
            Assert.That((string)row.triggered_at, Is.EqualTo("2026-11-21T15:03:14.877041743Z"));
            Assert.That((string)row.api_version, Is.EqualTo("2026-10"));
            Assert.That((byte[])row.body, Is.EqualTo(body));
            Assert.That((string)row.status, Is.EqualTo("pending"));
            Assert.That((long)row.received_at, Is.GreaterThan(DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds()));
        });
    }

    [Test]
    public async Task Post_KnownVector_IsAccepted()
    {
        // shopify-facts.md 1.2: secret "hush" over this body gives this signature.
        using var app = new TestApp(new() { ["Shopify:ClientSecret"] = "hush", ["Webhooks:Workers"] = "0" });
        var request = Webhook.Request("orders/paid", Encoding.UTF8.GetBytes(Body), hmac: "D0UMXmhjwBRi4y66TmhJrDlhQABD7zI2fm3p6/QLMo8=");
        var response = await app.CreateClient().SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase("wrong-secret", null, TestName = "Post_SignedWithOtherSecret_Returns401")]
    [TestCase(null, "", TestName = "Post_EmptyHmac_Returns401")]
    [TestCase(null, "not base64!", TestName = "Post_GarbageHmac_Returns401")]
    [TestCase(null, "D0UMXmhjwBRi4y66TmhJrDlhQABD7zI2fm3p6/QLMo8=", TestName = "Post_HmacOfOtherSecret_Returns401")]
    public async Task Post_BadHmac_Returns401AndStoresNothing(string? secret, string? hmac)
    {
        var request = Webhook.Request("orders/paid", Encoding.UTF8.GetBytes(Body), secret: secret ?? TestApp.Secret, hmac: hmac);
        var response = await _http.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(Rows, Is.Zero);
    }

    [Test]
    public async Task Post_MissingHmacHeader_Returns401AndStoresNothing()
    {
        var request = Webhook.Request("orders/paid", Body);
        request.Headers.Remove("X-Shopify-Hmac-Sha256");
        Assert.That((await _http.SendAsync(request)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(Rows, Is.Zero);
    }

    [TestCase("X-Shopify-Topic")]
    [TestCase("X-Shopify-Shop-Domain")]
    [TestCase("X-Shopify-Webhook-Id")]
    public async Task Post_MissingRequiredHeader_Returns400AndStoresNothing(string header)
    {
        var request = Webhook.Request("orders/paid", Body);
        request.Headers.Remove(header);
        var response = await _http.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("missing-header"));
        Assert.That(Rows, Is.Zero);
    }

    [TestCase("evil.example.com")]
    [TestCase("shop.myshopify.com.evil.com")]
    [TestCase("-bad.myshopify.com")]
    public async Task Post_ShopNotMyshopify_Returns400AndStoresNothing(string shop)
    {
        var response = await _http.SendAsync(Webhook.Request("orders/paid", Body, shop: shop));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(Rows, Is.Zero);
    }

    [Test]
    public async Task Post_BodyOverLimit_Returns413AndStoresNothing()
    {
        var big = new byte[2 * 1024 * 1024 + 1];
        var response = await _http.SendAsync(Webhook.Request("orders/paid", big));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(Rows, Is.Zero);
    }

    [Test]
    public async Task Post_ChunkedBodyOverLimit_Returns413AndStoresNothing()
    {
        using var app = new TestApp(new() { ["Webhooks:MaxBodyBytes"] = "4096", ["Webhooks:Workers"] = "0" });
        var body = new byte[5000];
        var request = Webhook.Request("orders/paid", body);
        request.Content = new StreamContent(new MemoryStream(body)); // no Content-Length: read until the cap
        var response = await app.CreateClient().SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(app.Count("SELECT COUNT(*) FROM webhook_inbox"), Is.Zero);
    }

    [Test]
    public async Task Post_SameWebhookIdTwice_StoresOneRow()
    {
        var first = await _http.SendAsync(Webhook.Request("orders/paid", Body, webhookId: "dup-1"));
        var second = await _http.SendAsync(Webhook.Request("orders/paid", Body, webhookId: "dup-1"));
        Assert.That((first.StatusCode, second.StatusCode), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.OK)));
        Assert.That(Rows, Is.EqualTo(1));
    }

    [Test]
    public async Task Post_SameWebhookIdConcurrently_StoresOneRow()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 40)
            .Select(_ => _http.SendAsync(Webhook.Request("orders/paid", Body, webhookId: "race-1"))));
        Assert.That(responses.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.OK));
        Assert.That(Rows, Is.EqualTo(1));
    }

    [Test]
    public async Task Post_SameWebhookIdOtherShop_StoresBoth()
    {
        await _http.SendAsync(Webhook.Request("orders/paid", Body, webhookId: "same", shop: "a.myshopify.com"));
        await _http.SendAsync(Webhook.Request("orders/paid", Body, webhookId: "same", shop: "b.myshopify.com"));
        Assert.That(Rows, Is.EqualTo(2));
    }

    [Test]
    public async Task Post_UnprefixedEventHeaders_AreAccepted()
    {
        var request = Webhook.Request("orders/paid", Encoding.UTF8.GetBytes(Body), webhookId: "ev-1", prefix: "shopify-");
        Assert.That((await _http.SendAsync(request)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(_app.Count("SELECT COUNT(*) FROM webhook_inbox WHERE webhook_id = 'ev-1'"), Is.EqualTo(1));
    }

    [Test]
    public async Task Post_PreviousSecretDuringRotation_IsAccepted()
    {
        using var app = new TestApp(new() { ["Shopify:ClientSecret"] = "new-secret", ["Shopify:PreviousClientSecret"] = "old-secret", ["Webhooks:Workers"] = "0" });
        var client = app.CreateClient();
        var oldSigned = Webhook.Request("orders/paid", Encoding.UTF8.GetBytes(Body), secret: "old-secret");
        var newSigned = Webhook.Request("orders/paid", Encoding.UTF8.GetBytes(Body), secret: "new-secret");
        var other = Webhook.Request("orders/paid", Encoding.UTF8.GetBytes(Body), secret: "third-secret");
        Assert.That((await client.SendAsync(oldSigned)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await client.SendAsync(newSigned)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await client.SendAsync(other)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Post_MalformedJsonWithValidHmac_Returns200AndIsStored()
    {
        var response = await _http.SendAsync(Webhook.Request("orders/paid", "{not json"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Rows, Is.EqualTo(1));
    }
}
