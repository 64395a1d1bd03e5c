using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using ShopifyReferral.Tests.Infrastructure;
using ShopifyReferral.Webhooks;

namespace ShopifyReferral.Tests.Webhooks;

/// <summary>
/// Background processing, driven by hand: workers are off, the test calls RunOnceAsync and moves a manual
/// clock, so retries, leases and backoff are checked without sleeping.
/// </summary>
public class WebhookProcessorTests
{
    // NUnit reuses one fixture instance for all its tests, so everything is made fresh in SetUp.
    private ManualTime _time = null!;
    private ScriptedHandler _handler = null!;
    private TestApp _app = null!;
    private HttpClient _http = null!;
    private WebhookProcessor _processor = null!;
    private InboxStore _inbox = null!;

    [SetUp]
    public void Start()
    {
        _time = new ManualTime();
        _handler = new ScriptedHandler();
        _app = new TestApp(
            new()
            {
                ["Webhooks:Workers"] = "0", ["Webhooks:MaxAttempts"] = "3",
                ["Webhooks:RetryBaseDelay"] = "00:00:10", ["Webhooks:LeaseDuration"] = "00:02:00",
            },
            _time, services: s => s.AddSingleton<IWebhookHandler>(_handler));
        _http = _app.CreateClient();
        _processor = _app.Service<WebhookProcessor>();
        _inbox = _app.Service<InboxStore>();
    }

    [TearDown]
    public void Stop() => _app?.Dispose();

    private async Task<long> Deliver(string topic = ScriptedHandler.Topic, string body = """{"id":1}""")
    {
        var id = Guid.NewGuid().ToString();
        var response = await _http.SendAsync(Webhook.Request(topic, body, webhookId: id));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return _app.Count("SELECT id FROM webhook_inbox WHERE webhook_id = @id", new { id });
    }

    private (string Status, long Attempts, string? Error, long? DueAt) Row(long id)
    {
        using var db = _app.OpenDb();
        return db.QuerySingle<(string, long, string?, long?)>(
            "SELECT status, attempts, last_error, due_at FROM webhook_inbox WHERE id = @id", new { id });
    }

    private Task<int> RunOnce() => _processor.RunOnceAsync(CancellationToken.None);

    [Test]
    public async Task Handler_Succeeds_RowIsDoneAfterOneCall()
    {
        var id = await Deliver();
        Assert.That(await RunOnce(), Is.EqualTo(1));
        Assert.That(Row(id).Status, Is.EqualTo("done"));
        Assert.That(_handler.Calls[id], Is.EqualTo(1));
    }

    [Test]
    public async Task Handler_KeepsFailing_BacksOffThenFailsWithItsErrorAndReplayBringsItBack()
    {
        _handler.Behaviour = _ => throw new InvalidOperationException("store API is down");
        var id = await Deliver();

        await RunOnce();
        var first = Row(id);
        Assert.That((first.Status, first.Attempts, first.Error), Is.EqualTo(("pending", 1L, "InvalidOperationException: store API is down")));
        // 10 s base with +/-20% jitter: not due now, due within 12 s.
        Assert.That(await RunOnce(), Is.EqualTo(0));
        Assert.That(first.DueAt, Is.InRange(_time.GetUtcNow().AddSeconds(8).ToUnixTimeMilliseconds(), _time.GetUtcNow().AddSeconds(12).ToUnixTimeMilliseconds()));

        _time.Advance(TimeSpan.FromSeconds(13));
        await RunOnce();
        Assert.That(Row(id).Attempts, Is.EqualTo(2));
        _time.Advance(TimeSpan.FromSeconds(25)); // second backoff doubles: 16-24 s
        await RunOnce();
        var last = Row(id);
        Assert.That((last.Status, last.Attempts, last.Error), Is.EqualTo(("failed", 3L, "InvalidOperationException: store API is down")));

        var failed = await _inbox.ListFailedAsync(shop: null);
        Assert.That(failed.Select(f => (f.Id, f.Topic, f.LastError)),
            Is.EqualTo(new[] { (id, ScriptedHandler.Topic, (string?)"InvalidOperationException: store API is down") }));

        _handler.Behaviour = _ => Task.CompletedTask;
        Assert.That(await _inbox.ReplayAsync(id, "test-shop.myshopify.com", _time.GetUtcNow()), Is.True);
        await RunOnce();
        Assert.That(Row(id).Status, Is.EqualTo("done"));
        Assert.That(_handler.Calls[id], Is.EqualTo(4));
        Assert.That(await _inbox.ListFailedAsync(shop: null), Is.Empty);
    }

    [Test]
    public async Task Replay_OtherShopOrRowNotFailed_ChangesNothing()
    {
        var id = await Deliver();
        Assert.That(await _inbox.ReplayAsync(id, null, _time.GetUtcNow()), Is.False, "pending rows are not replayed");
        _handler.Behaviour = _ => throw new PermanentWebhookException("bad");
        await RunOnce();
        Assert.That(await _inbox.ReplayAsync(id, "other-shop.myshopify.com", _time.GetUtcNow()), Is.False);
        Assert.That(Row(id).Status, Is.EqualTo("failed"));
    }

    [Test]
    public async Task WorkerDiesMidHandler_RowIsRetriedAfterTheLeaseAndTheDeadWorkersLateWriteIsRefused()
    {
        var id = await Deliver();
        // A worker claims the row and dies before finishing: nothing but its lease is left.
        var dead = await _inbox.ClaimAsync("dead-worker", 10, _time.GetUtcNow(), TimeSpan.FromMinutes(2));
        Assert.That(dead.Select(r => r.Id), Is.EqualTo(new[] { id }));

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.That(await RunOnce(), Is.EqualTo(0), "the lease still holds");
        _time.Advance(TimeSpan.FromMinutes(1.5));
        Assert.That(await RunOnce(), Is.EqualTo(1));
        Assert.That(Row(id), Is.EqualTo(("done", 2L, (string?)null, (long?)null)));

        Assert.That(await _inbox.FinishAsync(id, "dead-worker", "failed", "late", _time.GetUtcNow()), Is.False);
        Assert.That(Row(id).Status, Is.EqualTo("done"));
    }

    [Test]
    public async Task LeaseExpiresOverAndOver_RowFailsAsGivenUp()
    {
        var id = await Deliver();
        for (var i = 0; i < 3; i++)
        {
            await _inbox.ClaimAsync($"dead-{i}", 10, _time.GetUtcNow(), TimeSpan.FromMinutes(2));
            _time.Advance(TimeSpan.FromMinutes(3));
        }
        await RunOnce();
        var row = Row(id);
        Assert.That(row.Status, Is.EqualTo("failed"));
        Assert.That(row.Error, Does.StartWith("Gave up after 3 attempts"));
        Assert.That(_handler.Calls.ContainsKey(id), Is.False);
    }

    [Test]
    public async Task TopicWithoutHandler_IsSkippedNotFailed()
    {
        var id = await Deliver(topic: "products/update");
        await RunOnce();
        Assert.That(Row(id).Status, Is.EqualTo("skipped"));
    }

    [Test]
    public async Task MalformedJson_FailsAtOnceWithTheParseError()
    {
        var id = await Deliver(body: """{"id": 1,""");
        await RunOnce();
        var row = Row(id);
        Assert.That((row.Status, row.Attempts), Is.EqualTo(("failed", 1L)));
        Assert.That(row.Error, Does.Contain("Malformed JSON"));
        Assert.That(_handler.Calls, Is.Empty);
    }

    [Test]
    public async Task ConcurrentWorkers_EachRowIsHandledExactlyOnce()
    {
        _handler.Behaviour = _ => Task.Delay(1);
        var ids = new List<long>();
        for (var i = 0; i < 120; i++) ids.Add(await Deliver());

        async Task Drain() { while (await RunOnce() > 0) { } }
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(Drain)));

        Assert.That(_handler.Calls.Keys.Order(), Is.EqualTo(ids));
        Assert.That(_handler.Calls.Values.Distinct(), Is.EqualTo(new[] { 1 }));
        Assert.That(_app.Count("SELECT COUNT(*) FROM webhook_inbox WHERE status = 'done'"), Is.EqualTo(120));
    }
}
