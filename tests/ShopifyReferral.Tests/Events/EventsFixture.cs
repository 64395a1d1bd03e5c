using Dapper;
using ShopifyReferral.Events;
using ShopifyReferral.Jobs;
using ShopifyReferral.Tests.Engine;

namespace ShopifyReferral.Tests.Events;

/// <summary>The app and the sandbox store (<see cref="EngineHarness"/>) with a receiver of events on a real port.</summary>
public abstract class EventsFixture
{
    protected EngineHarness H { get; private set; } = null!;
    protected EventReceiver Receiver { get; private set; } = null!;

    /// <summary>Settings for the app; the receiver is on 127.0.0.1, so private endpoints are allowed unless a test says otherwise.</summary>
    protected virtual Dictionary<string, string?> Settings => new() { ["Events:AllowPrivateEndpoints"] = "true" };

    [SetUp]
    public async Task StartAsync()
    {
        H = await EngineHarness.StartAsync(settings: Settings);
        Receiver = await EventReceiver.StartAsync();
    }

    [TearDown]
    public async Task StopAsync()
    {
        await Receiver.DisposeAsync();
        await H.DisposeAsync();
    }

    /// <summary>Registers the receiver through the merchant API; remembers its secret for verifying. Returns the endpoint id.</summary>
    protected async Task<long> RegisterAsync(params string[] types)
    {
        var (status, body) = await H.ApiAsync(HttpMethod.Post, "/api/event-endpoints", new { url = Receiver.Url, types = types.Length == 0 ? EventTypes.All : types });
        Assert.That((int)status, Is.EqualTo(201), body.ToString());
        Receiver.Secret = body.GetProperty("secret").GetString()!;
        return body.GetProperty("id").GetInt64();
    }

    /// <summary>Runs the event.deliver jobs due now. Returns how many delivered.</summary>
    protected Task<int> DeliverAsync() => H.Get<JobRunner>().RunDueAsync(EventDelivery.JobKind, default);

    protected List<(string Id, string Type)> StoredEvents()
    {
        using var db = H.App.OpenDb();
        return db.Query<(string, string)>("SELECT id, type FROM events ORDER BY occurred_at, id").ToList();
    }

    protected List<(long Id, string Status, int Attempts, string? LastError)> Deliveries()
    {
        using var db = H.App.OpenDb();
        return db.Query<(long, string, int, string?)>("SELECT id, status, attempts, last_error FROM event_deliveries ORDER BY id").ToList();
    }

    /// <summary>Every event body leaves out the people: no emails and none of the names the test data uses.</summary>
    protected static void AssertNoPersonalData(IEnumerable<Received> received)
    {
        foreach (var r in received)
        {
            var text = System.Text.Encoding.UTF8.GetString(r.Body);
            Assert.That(text, Does.Not.Contain("@").And.Not.Contain("Jane").And.Not.Contain("Doe").And.Not.Contain("Sam").And.Not.Contain("203.0.113"), text);
        }
    }
}
