using System.Globalization;
using System.Net;
using ShopifyReferral.Tests.Engine;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.Operations;

/// <summary>
/// The operator's figures at /metrics (Prometheus text, on with Telemetry:Prometheus): a referral's whole way, from the
/// webhook's 200 to the reward issued in the sandbox store, shows in the app's own series; a refused delivery shows
/// with its reason; nothing is served when the setting is off.
/// </summary>
[NonParallelizable]
public class MetricsTests
{
    [Test]
    public async Task Off_ByDefault_NoMetricsEndpoint()
    {
        await using var h = await EngineHarness.StartAsync();
        Assert.That((await h.Http.GetAsync("/metrics")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task OneReferralEndToEnd_ShowsInTheAppsSeries()
    {
        await using var h = await EngineHarness.StartAsync(settings: new() { ["Telemetry:Prometheus"] = "true" });
        var before = await Scrape(h);
        await h.EnrolJaneAsync();
        await h.DeliverAsync("orders/paid/with-code.json");
        Assert.That(await h.PassHoldAndIssueAsync(), Is.EqualTo(1));
        var unsigned = await h.Http.PostAsync("/webhooks", new StringContent("{}"));
        Assert.That(unsigned.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        await Task.Delay(400); // the exporter serves a scrape from a cache for 300 ms
        var after = await Scrape(h);

        double Delta(string name, params string[] labels) => Sum(after, name, labels) - Sum(before, name, labels);
        Assert.Multiple(() =>
        {
            Assert.That(Delta("shopifyreferral_webhooks_received_total", "outcome=\"stored\"", "topic=\"orders/paid\""), Is.EqualTo(1));
            Assert.That(Delta("shopifyreferral_webhooks_received_total", "outcome=\"rejected\"", "reason=\"invalid-hmac\""), Is.EqualTo(1));
            Assert.That(Delta("shopifyreferral_webhooks_processed_total", "outcome=\"done\"", "topic=\"orders/paid\""), Is.EqualTo(1));
            Assert.That(Delta("shopifyreferral_webhooks_processing_lag_seconds_count", "topic=\"orders/paid\""), Is.EqualTo(1));
            Assert.That(Delta("shopifyreferral_events_total", "type=\"referral.created\""), Is.EqualTo(1));
            Assert.That(Delta("shopifyreferral_events_total", "type=\"reward.owed\""), Is.EqualTo(1));
            Assert.That(Delta("shopifyreferral_events_total", "type=\"reward.issued\""), Is.EqualTo(1));
            Assert.That(Delta("shopifyreferral_jobs_total", "kind=\"reward.issue\"", "outcome=\"done\""), Is.GreaterThanOrEqualTo(1));
            Assert.That(Delta("shopifyreferral_shopify_calls_total", "outcome=\"ok\""), Is.GreaterThanOrEqualTo(2), "code sync and the reward");
            Assert.That(Delta("shopifyreferral_shopify_throttle_available_count"), Is.GreaterThanOrEqualTo(2));
            Assert.That(after, Does.Contain("shopifyreferral_inbox_depth"));
            Assert.That(after, Does.Contain("shopifyreferral_inbox_oldest_due_age_seconds"));
            Assert.That(after, Does.Contain("http_server_request_duration_seconds"), "ASP.NET Core's own instruments");
            Assert.That(after, Does.Not.Contain("myshopify.com"), "no shop in any label");
        });
    }

    private static async Task<string> Scrape(EngineHarness h)
    {
        var response = await h.Http.GetAsync("/metrics");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The sum over every series of <paramref name="name"/> whose labels include each of <paramref name="labels"/>.</summary>
    private static double Sum(string text, string name, params string[] labels) => text.Split('\n')
        .Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal))
        .Where(l => labels.All(l.Contains))
        .Sum(l => double.Parse(LastValue(l), CultureInfo.InvariantCulture));

    // A sample line is "name{labels} value [timestamp]": the value follows the closing brace (or the name).
    private static string LastValue(string line)
    {
        var rest = line[(line.LastIndexOf('}') is var i and >= 0 ? i + 1 : line.IndexOf(' '))..].Trim();
        return rest.Split(' ')[0];
    }
}
