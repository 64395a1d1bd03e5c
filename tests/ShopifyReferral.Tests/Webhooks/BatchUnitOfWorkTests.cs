using System.Net;
using System.Text.Json.Nodes;
using Dapper;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.DependencyInjection;
using ShopifyReferral.Jobs;
using ShopifyReferral.Tests.Infrastructure;
using ShopifyReferral.Webhooks;

namespace ShopifyReferral.Tests.Webhooks;

/// <summary>
/// One transaction per claimed batch (WebhookProcessor.Batch): whatever mix of rows a batch holds (good ones, real
/// order deliveries, poison rows, rows failing once, rows needing an outside call), every good row's effect is
/// recorded exactly once with its outcome, and a failing row's writes are undone without sinking the others. A
/// worker stopped mid-batch commits nothing, and the rows simply run again.
/// </summary>
[TestFixture("00:00:00")]
[TestFixture("00:00:01")]
public class BatchUnitOfWorkTests(string yieldAfter)
{
    private static readonly string[] Kinds = ["ok", "ok", "permanent", "transient", "outside", "order", "ahead", "ahead-missed"];

    private ManualTime _time = null!;
    private BatchedHandler _handler = null!;
    private TestApp _app = null!;
    private HttpClient _http = null!;
    private long _nextOrder = 7_000_000_000;

    [OneTimeSetUp]
    public void Start()
    {
        _time = new ManualTime();
        _handler = new BatchedHandler(() => _app.Service<JobQueue>(), () => _app.Service<IntakeGate>());
        _app = new TestApp(
            new()
            {
                ["Webhooks:Workers"] = "0", ["Jobs:Workers"] = "0", ["Webhooks:MaxAttempts"] = "3",
                ["Webhooks:RetryBaseDelay"] = "00:00:01", ["Webhooks:LeaseDuration"] = "00:02:00",
                ["Webhooks:IntakeYieldAfter"] = yieldAfter,
            },
            _time, services: s => s.AddSingleton<IWebhookHandler>(_handler));
        _http = _app.CreateClient();
    }

    [OneTimeTearDown]
    public void Stop() => _app?.Dispose();

    [Test]
    public void AnyMixOfRows_EveryGoodRowsEffectOnce_EveryPoisonRowsEffectUndone() =>
        Prop.ForAll(Arb.From(from n in Gen.Choose(2, 12) from kinds in Gen.ArrayOf(Gen.Elements(Kinds), n) select kinds), kinds =>
        {
            var rows = DeliverAsync(kinds).GetAwaiter().GetResult();
            DrainAsync(CancellationToken.None).GetAwaiter().GetResult();
            AssertOutcomes(rows);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(25).WithQuietOnSuccess(true));

    [Test]
    public async Task WorkerStoppedMidBatch_NothingCommitted_TheRowsRunAgainExactlyOnce()
    {
        var rows = await DeliverAsync(["ok", "order", "ok", "crash", "ok"]);
        using (_handler.Crash = new CancellationTokenSource())
            Assert.That(async () => await _app.Service<WebhookProcessor>().RunOnceAsync(_handler.Crash.Token), Throws.InstanceOf<OperationCanceledException>());
        foreach (var row in rows)
        {
            Assert.That(Status(row.InboxId), Is.EqualTo("processing"), "still claimed, nothing recorded");
            if (row.Kind == "order") Assert.That(OrderCount(row.Key), Is.Zero, "the recorded order was undone with the batch");
            else Assert.That(Effects(row.Key), Is.Empty, $"{row.Kind} {row.Key}: its effect was undone with the batch");
        }
        _time.Advance(TimeSpan.FromMinutes(3)); // the stopped worker's lease runs out
        await DrainAsync(CancellationToken.None);
        AssertOutcomes(rows);
    }

    [Test]
    public async Task IntakeWaitsMidBatch_AfterItsSliceTheBatchCommitsWhatItHasAndGoesOnInANewTransaction()
    {
        var rows = await DeliverAsync(["ok", "ok", "yield", "ok", "ok"]);
        try
        {
            while (await _app.Service<WebhookProcessor>().RunOnceAsync(CancellationToken.None) > 0) { }
        }
        finally
        {
            _app.Service<IntakeGate>().Exit(); // the intake the yield row started has committed
        }
        var units = rows.Select(r => _handler.FirstUnit[r.Key]).ToList();
        Assert.That(units, Has.All.Not.Null, "every row ran in a batch transaction");
        Assert.That(units[1], Is.SameAs(units[0]));
        Assert.That(units[2], Is.SameAs(units[0]), "the row during which the intake began waiting finishes in its unit");
        if (TimeSpan.Parse(yieldAfter, System.Globalization.CultureInfo.InvariantCulture) == TimeSpan.Zero)
            Assert.That(units[3], Is.Not.SameAs(units[2]), "the next row waits for a new unit, after the intake's commit");
        else
            Assert.That(units[3..], Has.All.SameAs(units[0]), "a unit younger than Webhooks:IntakeYieldAfter goes on with its rows");
        foreach (var row in rows)
        {
            Assert.That(Status(row.InboxId), Is.EqualTo("done"));
            Assert.That(Effects(row.Key), Is.EqualTo(new[] { 0L }));
        }
    }

    private sealed record Row(string Kind, string Key, long InboxId);

    private async Task<IReadOnlyList<Row>> DeliverAsync(IEnumerable<string> kinds)
    {
        var rows = new List<Row>();
        foreach (var kind in kinds)
        {
            var webhookId = Guid.NewGuid().ToString();
            string key, topic, body;
            if (kind == "order")
            {
                var order = JsonNode.Parse(Webhook.Payload("orders/paid/guest-checkout.json"))!.AsObject();
                order["id"] = ++_nextOrder;
                (key, topic, body) = (_nextOrder.ToString(System.Globalization.CultureInfo.InvariantCulture), "orders/paid", order.ToJsonString());
            }
            else
            {
                key = Guid.NewGuid().ToString("N");
                (topic, body) = (BatchedHandler.Topic, new JsonObject { ["key"] = key, ["kind"] = kind }.ToJsonString());
            }
            var response = await _http.SendAsync(Webhook.Request(topic, body, webhookId: webhookId));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            rows.Add(new Row(kind, key, _app.Count("SELECT id FROM webhook_inbox WHERE webhook_id = @webhookId", new { webhookId })));
        }
        return rows;
    }

    /// <summary>Runs the inbox until nothing is left, moving the clock past every retry's backoff.</summary>
    private async Task DrainAsync(CancellationToken ct)
    {
        for (var round = 0; round < 10; round++)
        {
            while (await _app.Service<WebhookProcessor>().RunOnceAsync(ct) > 0) { }
            if (_app.Count("SELECT COUNT(*) FROM webhook_inbox WHERE status IN ('pending', 'processing')") == 0) return;
            _time.Advance(TimeSpan.FromMinutes(5));
        }
        Assert.Fail("the inbox did not drain");
    }

    private void AssertOutcomes(IReadOnlyList<Row> rows)
    {
        foreach (var row in rows)
        {
            var what = $"{row.Kind} row {row.InboxId} of [{string.Join(", ", rows.Select(r => r.Kind))}]";
            switch (row.Kind)
            {
                case "permanent":
                    Assert.That(Status(row.InboxId), Is.EqualTo("failed"), what);
                    Assert.That(Effects(row.Key), Is.Empty, $"{what}: the failed row's writes were undone");
                    break;
                case "order":
                    Assert.That(Status(row.InboxId), Is.EqualTo("done"), what);
                    Assert.That(OrderCount(row.Key), Is.EqualTo(1), what);
                    break;
                default:
                    Assert.That(Status(row.InboxId), Is.EqualTo("done"), what);
                    Assert.That(Effects(row.Key), Is.EqualTo(new[] { 0L }), $"{what}: one effect, asked for once (wakes 0)");
                    Assert.That(_handler.Runs[row.Key].First(), Is.True, $"{what}: its first run was in the batch's transaction");
                    break;
            }
            if (row.Kind is "outside" or "ahead-missed")
                Assert.That(_handler.Runs[row.Key], Is.EqualTo(new[] { true, false }),
                    $"{what}: undone in the batch, then run once more outside any transaction for its outside call");
            if (row.Kind == "ahead")
                Assert.That(_handler.Runs[row.Key], Is.EqualTo(new[] { true }), $"{what}: its outside read was done ahead, so it stayed in the batch");
            if (row.Kind is "ahead" or "ahead-missed")
                Assert.That(_handler.OutsideReads[row.Key], Is.EqualTo(1), $"{what}: the outside read ran once, never inside the transaction");
        }
    }

    private string Status(long id) => _app.OpenDb().Use(db => db.QuerySingle<string>("SELECT status FROM webhook_inbox WHERE id = @id", new { id }));

    private List<long> Effects(string key) => _app.OpenDb().Use(db =>
        db.Query<long>("SELECT wakes FROM jobs WHERE kind = @kind AND subject = @key", new { kind = BatchedHandler.EffectKind, key }).AsList());

    private long OrderCount(string orderId) => _app.Count("SELECT COUNT(*) FROM orders WHERE order_id = @id", new { id = long.Parse(orderId, System.Globalization.CultureInfo.InvariantCulture) });
}

internal static class DisposableUse
{
    public static T Use<TResource, T>(this TResource resource, Func<TResource, T> f) where TResource : IDisposable
    {
        using (resource) return f(resource);
    }
}
