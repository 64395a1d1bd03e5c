using System.Net;
using System.Text;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using ShopifyReferral.Shops;
using ShopifyReferral.Tests.Infrastructure;
using ShopifyReferral.Tests.Webhooks;
using ShopifyReferral.Webhooks;

namespace ShopifyReferral.Tests.Privacy;

/// <summary>
/// Raw deliveries hold personal data, so the inbox keeps them only for Webhooks:Retention after processing: done and
/// skipped rows are deleted, failed ones keep their row (the merchant's record) but lose their body. Nothing still
/// waiting to be processed is touched.
/// </summary>
public class InboxRetentionTests
{
    private const string Shop = "test-shop.myshopify.com";
    private ManualTime _time = null!;
    private TestApp _app = null!;
    private HttpClient _http = null!;

    [SetUp]
    public void Start()
    {
        _time = new ManualTime();
        _app = new TestApp(new() { ["Webhooks:Workers"] = "0", ["Webhooks:Retention"] = "3.00:00:00" }, _time,
            services: s => s.AddSingleton<IWebhookHandler>(new ScriptedHandler()));
        _http = _app.CreateClient();
    }

    [TearDown]
    public void Stop() => _app?.Dispose();

    private async Task<long> Deliver(string body, string topic = ScriptedHandler.Topic)
    {
        var id = Guid.NewGuid().ToString();
        Assert.That((await _http.SendAsync(Webhook.Request(topic, body, webhookId: id))).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return _app.Count("SELECT id FROM webhook_inbox WHERE webhook_id = @id", new { id });
    }

    private async Task ProcessAll()
    {
        while (await _app.Service<WebhookProcessor>().RunOnceAsync(default) > 0) { }
    }

    [Test]
    public async Task PastRetention_ProcessedRowsGo_FailedOnesLoseTheirBody_RecentAndPendingStay()
    {
        var done = await Deliver("""{"email":"old@example.com"}""");
        var skipped = await Deliver("""{"email":"old@example.com"}""", topic: "products/update");
        var failed = await Deliver("""{"email":"old@example.com",""");
        await ProcessAll();
        SeedOldDoneRows(1200); // more than one batch
        _time.Advance(TimeSpan.FromDays(3.5));
        var recent = await Deliver("""{"email":"new@example.com"}""");
        await ProcessAll();
        var pending = await Deliver("""{"email":"waiting@example.com"}""");

        var (deleted, redacted) = await _app.Service<InboxPruner>().RunOnceAsync(default);

        Assert.That((deleted, redacted), Is.EqualTo((1202, 1)));
        using var db = _app.OpenDb();
        var left = db.Query<(long Id, string Status, byte[] Body, long? Removed)>("SELECT id, status, body, body_removed_at FROM webhook_inbox ORDER BY id")
            .ToDictionary(r => r.Id);
        Assert.That(left.Keys, Is.EquivalentTo(new[] { failed, recent, pending }));
        Assert.That(left.ContainsKey(done) || left.ContainsKey(skipped), Is.False);
        Assert.That(Encoding.UTF8.GetString(left[failed].Body), Does.Not.Contain("old@example.com"));
        Assert.That((left[failed].Status, left[failed].Removed), Is.EqualTo(("failed", (long?)_time.GetUtcNow().ToUnixTimeMilliseconds())));
        Assert.That(Encoding.UTF8.GetString(left[recent].Body), Does.Contain("new@example.com"));
        Assert.That(left[pending].Status, Is.EqualTo("pending"));
        Assert.That(await _app.Service<InboxPruner>().RunOnceAsync(default), Is.EqualTo((0, 0)), "a second sweep finds nothing");
    }

    [Test]
    public async Task FailedRowWhoseBodyWasRemoved_ReplayIsRefusedWithTheReason()
    {
        var failed = await Deliver("""{"email":"old@example.com",""");
        await ProcessAll();
        _time.Advance(TimeSpan.FromDays(4));
        await _app.Service<InboxPruner>().RunOnceAsync(default);
        await _app.Service<ShopStore>().MarkInstalledAsync(Shop, _time.GetUtcNow());

        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/webhooks/{failed}/replay");
        request.Headers.Authorization = new("Bearer", Sessions.Token(Shop, _time.GetUtcNow()));
        var response = await _http.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("Webhooks:Retention"));
        Assert.That(_app.Count("SELECT COUNT(*) FROM webhook_inbox WHERE status = 'failed'"), Is.EqualTo(1));
    }

    private void SeedOldDoneRows(int count)
    {
        using var db = _app.OpenDb();
        using var tx = db.BeginTransaction();
        var at = _time.GetUtcNow().ToUnixTimeMilliseconds();
        for (var i = 0; i < count; i++)
            db.Execute("""
                INSERT INTO webhook_inbox (shop, topic, webhook_id, body, received_at, status, attempts, processed_at)
                VALUES (@Shop, 'orders/paid', @id, @body, @at, 'done', 1, @at)
                """, new { Shop, id = $"seed-{i}", body = Encoding.UTF8.GetBytes($$"""{"email":"buyer{{i}}@example.com"}"""), at }, tx);
        tx.Commit();
    }
}
