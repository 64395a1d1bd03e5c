using System.Net;
using System.Text.Json;
using Dapper;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.Operations;

/// <summary>
/// /health/live answers while the process runs; /health/ready says whether it can do its job, each check named in
/// the answer: the database, every migration applied, and the inbox moving (a row due long ago means no worker).
/// </summary>
public class ReadinessTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
    private TestApp _app = null!;
    private HttpClient _http = null!;

    [SetUp]
    public void Start()
    {
        TestDatabase.SkipUnlessAvailable();
        _app = new TestApp(new() { ["Webhooks:Workers"] = "0", ["Referrals:Background"] = "false", ["Health:InboxStuckAfter"] = "00:10:00" },
            new ManualTime(Now));
        _http = _app.CreateClient();
    }

    [TearDown]
    public void Stop() => _app?.Dispose();

    [Test]
    public async Task Healthy_LiveAndReady200_EachCheckNamed()
    {
        Assert.That((await _http.GetAsync("/health/live")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var (status, body) = await Ready();
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToString());
        Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("Healthy"));
        Assert.That(body.GetProperty("checks").EnumerateObject().Select(c => c.Name), Is.EquivalentTo(new[] { "database", "migrations", "inbox" }));
    }

    [Test]
    public async Task MigrationMissing_Ready503NamingIt_LiveStill200()
    {
        using (var db = _app.OpenDb()) db.Execute("DELETE FROM schema_version WHERE version = (SELECT MAX(version) FROM schema_version)");
        var (status, body) = await Ready();
        Assert.That(status, Is.EqualTo(HttpStatusCode.ServiceUnavailable), body.ToString());
        var migrations = body.GetProperty("checks").GetProperty("migrations");
        Assert.That(migrations.GetProperty("status").GetString(), Is.EqualTo("Unhealthy"));
        Assert.That(migrations.GetProperty("description").GetString(), Does.Contain("not applied"));
        Assert.That((await _http.GetAsync("/health/live")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "a live process is not restarted for it");
    }

    [TestCase(9, HttpStatusCode.OK)]
    [TestCase(11, HttpStatusCode.ServiceUnavailable)]
    public async Task InboxRowWaiting_ReadyOnlyUntilTheThreshold(int minutesWaiting, HttpStatusCode expected)
    {
        using (var db = _app.OpenDb())
            db.Execute("""
                INSERT INTO webhook_inbox (shop, topic, webhook_id, body, status, attempts, received_at, due_at)
                VALUES ('stuck.myshopify.com', 'orders/paid', 'w-stuck', @body, 'pending', 0, @due, @due)
                """, new { body = "{}"u8.ToArray(), due = Now.AddMinutes(-minutesWaiting).ToUnixTimeMilliseconds() });
        var (status, body) = await Ready();
        Assert.That(status, Is.EqualTo(expected), body.ToString());
        Assert.That(body.GetProperty("checks").GetProperty("inbox").GetProperty("status").GetString(),
            Is.EqualTo(expected == HttpStatusCode.OK ? "Healthy" : "Unhealthy"));
    }

    private async Task<(HttpStatusCode, JsonElement)> Ready()
    {
        var r = await _http.GetAsync("/health/ready");
        Assert.That(r.Headers.CacheControl?.NoStore, Is.True);
        return (r.StatusCode, JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement);
    }
}
