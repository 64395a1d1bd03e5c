using System.Net;
using System.Text.Json;
using Dapper;
using ShopifyReferral.Shops;
using ShopifyReferral.Tests.Infrastructure;
using static ShopifyReferral.Tests.Dashboard.Seed;

namespace ShopifyReferral.Tests.Dashboard;

/// <summary>
/// Every JSON answer of every documented /api operation carries its times as ISO 8601 UTC strings, never epoch
/// milliseconds: the test calls each operation on a shop with a row in every table and walks the JSON it gets back.
/// </summary>
public class TimestampTests
{
    private const string Shop = "times.myshopify.com";
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private TestApp _app = null!;
    private HttpClient _http = null!;
    private long _jane, _review, _second, _failed, _export;

    [SetUp]
    public async Task Start()
    {
        _app = new TestApp(new() { ["Webhooks:Workers"] = "0", ["Referrals:Background"] = "false" }, new ManualTime(Now));
        _http = _app.CreateClient();
        await _app.Service<ShopStore>().MarkInstalledAsync(Shop, Now);
        using var db = _app.OpenDb();
        var s = new Seed(db, Shop);
        _jane = s.Referrer(201, "Jane", "Doe", "jane@example.com", "JANE-1111", Noon(11, 1));
        _review = s.Referral(s.Order(301, Noon(11, 10), "80.00"), _jane, "review", Noon(11, 10), "friend@example.com", "80.00", "Held.", Noon(11, 24));
        _second = s.Referral(s.Order(302, Noon(11, 12), "50.00"), _jane, "review", Noon(11, 12), holdUntil: Noon(11, 26));
        s.Check(_review, "velocity", "review", "3 friends today.", Noon(11, 10));
        var reward = s.Reward(_jane, _review, "a", "fixed_amount", "10.00", "redeemed", Noon(11, 1), Noon(12, 30), "THANKS-A");
        db.Execute("UPDATE rewards SET redeemed_at = @at WHERE id = @reward", new { at = Noon(11, 5), reward });
        s.Reward(_jane, null, "b", "fixed_amount", "10.00", "issued", Noon(11, 2), Noon(12, 30), "THANKS-B");
        s.Clicks(_jane, "email", Noon(11, 9), 2);
        _failed = db.ExecuteScalar<long>("""
            INSERT INTO webhook_inbox (shop, topic, webhook_id, body, received_at, status, attempts, last_error, processed_at)
            VALUES (@Shop, 'orders/paid', 'w-1', @body, @at, 'failed', 8, 'boom', @at) RETURNING id
            """, new { Shop, at = Noon(11, 20), body = "{}"u8.ToArray() });
        _export = db.ExecuteScalar<long>("""
            INSERT INTO privacy_exports (shop, customer_id, email, request_id, body, created_at)
            VALUES (@Shop, 201, 'jane@example.com', 'r-1', '{"generated_at":"2026-11-20T12:00:00.000Z","data":{}}', @at) RETURNING id
            """, new { Shop, at = Noon(11, 20) });
    }

    [TearDown]
    public void Stop() => _app?.Dispose();

    [Test]
    public async Task EveryDocumentedOperation_AnswersTimesAsIsoUtc()
    {
        (HttpMethod Method, string Route, string Path, object? Body)[] calls =
        [
            (HttpMethod.Get, "/api/shop", "/api/shop", null),
            (HttpMethod.Get, "/api/referrers", "/api/referrers", null),
            (HttpMethod.Post, "/api/referrers", "/api/referrers", new { customerId = 202, email = "zoe@example.com" }),
            (HttpMethod.Get, "/api/referrers/{id}", $"/api/referrers/{_jane}", null),
            (HttpMethod.Get, "/api/referrers/by-customer/{customerId}", "/api/referrers/by-customer/201", null),
            (HttpMethod.Post, "/api/referrers/{id}/block", $"/api/referrers/{_jane}/block", new { reason = "test" }),
            (HttpMethod.Post, "/api/referrers/{id}/unblock", $"/api/referrers/{_jane}/unblock", null),
            (HttpMethod.Get, "/api/referrals", "/api/referrals", null),
            (HttpMethod.Get, "/api/referrals/{id}", $"/api/referrals/{_review}", null),
            (HttpMethod.Post, "/api/referrals/{id}/approve", $"/api/referrals/{_review}/approve", new { }),
            (HttpMethod.Post, "/api/referrals/{id}/reject", $"/api/referrals/{_second}/reject", new { reason = "same household" }),
            (HttpMethod.Get, "/api/rewards", "/api/rewards", null),
            (HttpMethod.Get, "/api/rewards/unused", "/api/rewards/unused?days=0", null),
            (HttpMethod.Get, "/api/webhooks/failed", "/api/webhooks/failed", null),
            (HttpMethod.Post, "/api/webhooks/{id}/replay", $"/api/webhooks/{_failed}/replay", null),
            (HttpMethod.Get, "/api/analytics", "/api/analytics?from=2026-11-01&to=2026-11-30", null),
            (HttpMethod.Get, "/api/program", "/api/program", null),
            (HttpMethod.Put, "/api/program", "/api/program", new { holdDays = 7, reward = new { type = "fixed_amount", value = 10 } }),
            (HttpMethod.Get, "/api/privacy/exports", "/api/privacy/exports", null),
            (HttpMethod.Get, "/api/privacy/exports/{id}", $"/api/privacy/exports/{_export}", null),
            (HttpMethod.Get, "/api/discounts/changes", "/api/discounts/changes", null),
            (HttpMethod.Get, "/api/discounts/usage", "/api/discounts/usage?all=true", null),
        ];

        var offenders = new List<string>();
        foreach (var (method, _, path, body) in calls)
        {
            var (status, json) = await ApiCall.SendAsync(_http, method, path, Shop, Now, body);
            Assert.That((int)status, Is.InRange(200, 299), $"{method} {path}: {json}");
            Assert.That(json.ValueKind, Is.AnyOf(JsonValueKind.Object, JsonValueKind.Array), $"{method} {path} answers JSON");
            offenders.AddRange(JsonTimes.Offenders(json).Select(o => $"{method} {path}: {o}"));
        }
        var walked = calls.Select(c => $"{c.Method} {c.Route}").ToList();
        offenders.AddRange(await WalkEventEndpointsAsync(walked));
        Assert.That(offenders, Is.Empty);

        // A new JSON operation in the OpenAPI document must be added above (the CSV exports are not JSON).
        using var doc = JsonDocument.Parse(await _http.GetStringAsync("/api/openapi.json"));
        // The merchant API's operations (the document also has the extensions', which answer buyers, not this walk).
        var documented = doc.RootElement.GetProperty("paths").EnumerateObject()
            .Where(p => p.Name.StartsWith("/api/", StringComparison.Ordinal) && !p.Name.EndsWith(".csv", StringComparison.Ordinal))
            .SelectMany(p => p.Value.EnumerateObject().Select(m => $"{m.Name.ToUpperInvariant()} {p.Name}"));
        Assert.That(documented.Except(walked), Is.Empty, "documented but not walked here");
    }

    /// <summary>The event endpoints in order, each call using what the one before answered; delete and replay answer no JSON.</summary>
    private async Task<List<string>> WalkEventEndpointsAsync(List<string> walked)
    {
        var offenders = new List<string>();
        async Task<JsonElement> Call(HttpMethod method, string route, string path, object? body, bool json = true)
        {
            var (status, answer) = await ApiCall.SendAsync(_http, method, path, Shop, Now, body);
            Assert.That((int)status, Is.InRange(200, 299), $"{method} {path}: {answer}");
            if (json) offenders.AddRange(JsonTimes.Offenders(answer).Select(o => $"{method} {path}: {o}"));
            walked.Add($"{method} {route}");
            return answer;
        }
        var endpoint = await Call(HttpMethod.Post, "/api/event-endpoints", "/api/event-endpoints",
            new { url = "https://93.184.215.14/hook", types = new[] { "referrer.enrolled" } });
        var id = endpoint.GetProperty("id").GetInt64();
        await Call(HttpMethod.Post, "/api/referrers", "/api/referrers", new { customerId = 203, email = "ann@example.com" }); // one event for it
        await Call(HttpMethod.Get, "/api/event-endpoints", "/api/event-endpoints", null);
        await Call(HttpMethod.Post, "/api/event-endpoints/{id}/rotate-secret", $"/api/event-endpoints/{id}/rotate-secret", null);
        var deliveries = await Call(HttpMethod.Get, "/api/event-endpoints/{id}/deliveries", $"/api/event-endpoints/{id}/deliveries", null);
        var list = deliveries.ValueKind == JsonValueKind.Array ? deliveries : deliveries.EnumerateObject().First(p => p.Value.ValueKind == JsonValueKind.Array).Value;
        var delivery = list.EnumerateArray().First().GetProperty("id").GetInt64();
        await Call(HttpMethod.Post, "/api/event-endpoints/{id}/deliveries/{deliveryId}/replay", $"/api/event-endpoints/{id}/deliveries/{delivery}/replay", null, json: false);
        await Call(HttpMethod.Delete, "/api/event-endpoints/{id}", $"/api/event-endpoints/{id}", null, json: false);
        return offenders;
    }

    [Test]
    public async Task ReferrerWithHistory_OneObject_OneTimeFormat()
    {
        // The referrer answer mixed an ISO enrolledAt with epoch-ms createdAt in its nested referrals and rewards.
        var (_, json) = await ApiCall.SendAsync(_http, HttpMethod.Get, "/api/referrers/201", Shop, Now);
        Assert.That(json.GetProperty("enrolledAt").GetString(), Is.EqualTo("2026-11-01T12:00:00.000Z"));
        Assert.That(json.GetProperty("referrals")[0].GetProperty("createdAt").GetString(), Is.EqualTo("2026-11-12T12:00:00.000Z"));
        Assert.That(json.GetProperty("referrals")[0].GetProperty("holdUntil").GetString(), Is.EqualTo("2026-11-26T12:00:00.000Z"));
        Assert.That(json.GetProperty("rewards")[0].GetProperty("expiresAt").GetString(), Is.EqualTo("2026-12-30T12:00:00.000Z"));
    }
}
