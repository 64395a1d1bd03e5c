using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using ShopifyReferral.Flow;
using ShopifyReferral.Jobs;
using ShopifyReferral.Tests.Engine;
using ShopifyReferral.Tests.Infrastructure;
using Tomlyn;
using Tomlyn.Model;

namespace ShopifyReferral.Tests.Flow;

/// <summary>
/// Shopify Flow over real HTTP: the lifecycle callback and the action signed as Flow signs them, triggers fired through
/// the sandbox's flowTriggerReceive, once per event and trigger even with two app instances on one database.
/// </summary>
public class FlowTests
{
    private EngineHarness _h = null!;

    [SetUp]
    public async Task Start() => _h = await EngineHarness.StartAsync();

    [TearDown]
    public async Task Stop() { if (_h is not null) await _h.DisposeAsync(); }

    private async Task<HttpResponseMessage> PostSignedAsync(string path, object body, bool signed = true)
    {
        var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(body));
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-Shopify-Hmac-SHA256", signed ? _h.Store.Sign(bytes) : Convert.ToBase64String(new byte[32]));
        return await _h.Http.SendAsync(request);
    }

    private Task<HttpResponseMessage> LifecycleAsync(string handle, bool on, DateTimeOffset at) => PostSignedAsync("/flow/lifecycle", new Dictionary<string, object>
    {
        ["flow_trigger_definition_id"] = handle, ["has_enabled_flow"] = on, ["shop_id"] = 1, ["shopify_domain"] = EngineHarness.Shop,
        ["timestamp"] = at.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
    });

    private IReadOnlyList<ShopifyReferral.Sandbox.Flow.SandboxFlowRun> Runs() => _h.Store.Shop(EngineHarness.Shop).FlowRuns;

    [Test]
    public void TriggerExtensions_DeclareWhatTheAppSends()
    {
        foreach (var trigger in FlowTriggers.All)
        {
            var toml = TomlSerializer.Deserialize<TomlTable>(File.ReadAllText(Repo.Path("extensions", $"flow-{trigger.Handle}", "shopify.extension.toml")))!;
            var extension = ((TomlTableArray)toml["extensions"]).Cast<TomlTable>().Single();
            Assert.That(((string)extension["type"], (string)extension["handle"]), Is.EqualTo(("flow_trigger", trigger.Handle)));
            Assert.That(trigger.Handle, Has.Length.LessThanOrEqualTo(30), "Flow's limit on a trigger handle");
            var fields = ((TomlTableArray)((TomlTable)toml["settings"])["fields"]).Cast<TomlTable>().ToList();
            Assert.That(fields.Count(f => (string)f["type"] == "customer_reference"), Is.EqualTo(1), trigger.Handle);
            var keys = fields.Where(f => f.ContainsKey("key")).Select(f => (string)f["key"]);
            var sent = trigger.Payload(JsonDocument.Parse("{}").RootElement).Select(p => p.Key).Where(k => k != "customer_id");
            Assert.That(sent, Is.EquivalentTo(keys), $"{trigger.Handle}: every payload key is a declared field and back");
        }
    }

    [Test]
    public async Task ApprovedReferral_FiresOnlyTheEnabledTrigger_Once()
    {
        Assert.That((await LifecycleAsync("referral-approved", true, _h.Time.GetUtcNow())).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await LifecycleAsync("referral-needs-review", true, _h.Time.GetUtcNow().AddMinutes(-1))).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await LifecycleAsync("referral-needs-review", false, _h.Time.GetUtcNow())).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await LifecycleAsync("referral-needs-review", true, _h.Time.GetUtcNow().AddMinutes(-2))).StatusCode, Is.EqualTo(HttpStatusCode.OK),
            "a late callback is answered, and changes nothing");
        Assert.That((await PostSignedAsync("/flow/lifecycle", new { flow_trigger_definition_id = "referral-approved" }, signed: false)).StatusCode,
            Is.EqualTo(HttpStatusCode.Unauthorized));

        await _h.EnrolJaneAsync();
        await _h.DeliverAsync("orders/paid/with-code.json");
        await _h.PassHoldAndIssueAsync();
        Assert.That(await _h.Get<JobsNow>().RunAsync(_h.Get<FlowTriggerJob>(), default), Is.EqualTo(1));
        Assert.That(await _h.Get<JobsNow>().RunAsync(_h.Get<FlowTriggerJob>(), default), Is.Zero);

        var run = Runs().Single();
        Assert.That(run.Handle, Is.EqualTo("referral-approved"));
        var payload = JsonNode.Parse(run.Payload)!;
        Assert.That((long)payload["customer_id"]!, Is.EqualTo(EngineHarness.JaneId), "the referrer, as the customer_reference");
        Assert.That((string?)payload["Order id"], Is.EqualTo("5893217321195"));
    }

    [Test]
    public async Task TwoInstancesOnOneDatabase_SendEachTriggerOnce()
    {
        await LifecycleAsync("referral-approved", true, _h.Time.GetUtcNow());
        await LifecycleAsync("reward-issued", true, _h.Time.GetUtcNow());
        await _h.EnrolJaneAsync();
        await _h.DeliverAsync("orders/paid/with-code.json");
        await _h.PassHoldAndIssueAsync();

        using var second = new TestApp(new()
        {
            ["Shopify:ClientId"] = _h.Store.Options.ClientId, ["Shopify:ClientSecret"] = _h.Store.Options.ClientSecret,
            ["Shopify:AdminBaseUrl"] = _h.Store.AdminBaseUrlTemplate, ["Webhooks:Workers"] = "0", ["Referrals:Background"] = "false",
        }, _h.Time, database: _h.App.Database);
        var first = _h.Get<FlowTriggerJob>();
        var other = second.Services.GetRequiredService<FlowTriggerJob>();
        // Both instances run the same two jobs at once, and each also runs them by hand as a worker whose lease ran out would.
        await Task.WhenAll(
            _h.Get<JobsNow>().RunAsync(first, default), second.Services.GetRequiredService<JobsNow>().RunAsync(other, default));
        using (var db = _h.App.OpenDb())
            foreach (var subject in db.Query<string>("SELECT subject FROM jobs WHERE kind = @kind", new { kind = FlowTriggerJob.JobKind }))
                await Task.WhenAll(
                    first.RunAsync(new Job(0, FlowTriggerJob.JobKind, subject, EngineHarness.Shop, 1, 0, "a"), default),
                    other.RunAsync(new Job(0, FlowTriggerJob.JobKind, subject, EngineHarness.Shop, 1, 0, "b"), default));

        Assert.That(Runs().Select(r => r.Handle), Is.EquivalentTo(new[] { "referral-approved", "reward-issued" }));
        var issued = JsonNode.Parse(Runs().Single(r => r.Handle == "reward-issued").Payload)!;
        Assert.That((string?)issued["Reward code"], Does.StartWith("THANKS-"), "the reward code goes with the trigger");
    }

    [Test]
    public async Task EnrolAction_IdempotentByRunId_200OnlyWhenDone()
    {
        _h.Store.AddCustomer(EngineHarness.Shop, "flow.customer@example.com", id: 4242);
        object Run(string id) => new Dictionary<string, object>
        {
            ["shop_id"] = "gid://shopify/Shop/1", ["shopify_domain"] = EngineHarness.Shop, ["action_run_id"] = id,
            ["action_definition_id"] = "enrol-referrer", ["handle"] = "enrol-referrer", ["properties"] = new Dictionary<string, object> { ["customer_id"] = 4242 },
        };
        Assert.That((await PostSignedAsync("/flow/actions/enrol-referrer", Run("run-1"), signed: false)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        using (var db = _h.App.OpenDb()) Assert.That(db.ExecuteScalar<int>("SELECT COUNT(*) FROM referrers"), Is.Zero, "an unsigned run does nothing");

        var first = await PostSignedAsync("/flow/actions/enrol-referrer", Run("run-1"));
        var again = await PostSignedAsync("/flow/actions/enrol-referrer", Run("run-1")); // Flow's retry
        Assert.That((first.StatusCode, again.StatusCode), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.OK)));
        Assert.That(JsonNode.Parse(await again.Content.ReadAsStringAsync())!["alreadyDone"]!.GetValue<bool>(), Is.True);
        using (var db = _h.App.OpenDb())
        {
            Assert.That(db.ExecuteScalar<int>("SELECT COUNT(*) FROM referrers WHERE customer_id = 4242"), Is.EqualTo(1));
            Assert.That(db.ExecuteScalar<int>("SELECT COUNT(*) FROM flow_action_runs"), Is.EqualTo(1));
        }
        var bad = await PostSignedAsync("/flow/actions/enrol-referrer", new { shopify_domain = EngineHarness.Shop, action_run_id = "run-2", properties = new { } });
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await bad.Content.ReadAsStringAsync(), Does.Contain("properties.customer_id"));
    }
}
