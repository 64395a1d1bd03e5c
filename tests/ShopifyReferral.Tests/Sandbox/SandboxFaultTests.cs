using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ShopifyReferral.Sandbox;
using ShopifyReferral.Sandbox.Faults;
using ShopifyReferral.Shopify;

namespace ShopifyReferral.Tests.Sandbox;

/// <summary>Per-shop fault injection on the Admin GraphQL endpoint, seen from a raw HttpClient.</summary>
[Category(Infrastructure.TestProvider.NoDatabase)]
public class SandboxFaultTests : SandboxTestBase
{
    private async Task<HttpResponseMessage> Post(string shop, string query, JsonObject? variables = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, _store.GraphQLUrl(shop))
        {
            Content = JsonContent.Create(new JsonObject { ["query"] = query, ["variables"] = variables ?? [] }),
        };
        request.Headers.Add("X-Shopify-Access-Token", _store.IssueAccessToken(shop));
        return await _http.SendAsync(request);
    }

    private Task<HttpResponseMessage> Create(string shop, string code) =>
        Post(shop, AdminDocuments.DiscountCodeBasicCreate, SandboxThrottleTests.DiscountVariables(code));

    [Test]
    public async Task FailNext_Two500s_ThenServesNormally()
    {
        _store.Faults(ShopA).FailNext(2, 500);

        var statuses = new List<int>();
        for (var i = 0; i < 3; i++)
            statuses.Add((int)(await Post(ShopA, "{ shop { name } }")).StatusCode);

        Assert.That(statuses, Is.EqualTo(new[] { 500, 500, 200 }));
    }

    [Test]
    public async Task RateLimitNext_Answers429WithRetryAfterSeconds()
    {
        _store.Faults(ShopA).RateLimitNext(1, TimeSpan.FromSeconds(2));

        using var response = await Post(ShopA, "{ shop { name } }");

        Assert.That((int)response.StatusCode, Is.EqualTo(429));
        Assert.That(response.Headers.GetValues("Retry-After").Single(), Is.EqualTo("2.0"));
    }

    [Test]
    public async Task DelayNext_HoldsTheRequest()
    {
        _store.Faults(ShopA).DelayNext(1, TimeSpan.FromMilliseconds(400));

        var watch = Stopwatch.StartNew();
        using var response = await Post(ShopA, "{ shop { name } }");

        Assert.That((int)response.StatusCode, Is.EqualTo(200));
        Assert.That(watch.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(380)));
    }

    [Test]
    public async Task DropAfterCommit_WaitsForAMutation_ThenCommitsAndAnswers502()
    {
        _store.Faults(ShopA).DropAfterCommitNext();

        using var query = await Post(ShopA, "{ shop { name } }");
        Assert.That((int)query.StatusCode, Is.EqualTo(200));
        Assert.That(_store.Faults(ShopA).Pending, Is.EqualTo(1));

        using var mutation = await Create(ShopA, "FRIEND-10");
        Assert.That((int)mutation.StatusCode, Is.EqualTo(502));
        Assert.That(_store.Discounts(ShopA).Single().Codes, Is.EqualTo(new[] { "FRIEND-10" }));
        Assert.That(_store.Faults(ShopA).Pending, Is.Zero);
    }

    [Test]
    public async Task DropAfterCommit_Abort_ResetsConnectionAfterCommitting()
    {
        _store.Faults(ShopA).DropAfterCommitNext(1, DropMode.Abort);

        Assert.ThrowsAsync<HttpRequestException>(() => Create(ShopA, "FRIEND-10"));

        Assert.That(_store.Discounts(ShopA), Has.Count.EqualTo(1));
        // The request log is written as the aborted request unwinds, which may be after the client saw the reset.
        for (var i = 0; i < 100 && _store.Shop(ShopA).Requests.Count == 0; i++) await Task.Delay(20);
        Assert.That(_store.Shop(ShopA).Requests.Single().Status, Is.Zero);
    }

    [Test]
    public async Task Faults_AreKeptPerShop()
    {
        _store.Faults(ShopA).FailNext(1, 503);

        using var b = await Post(ShopB, "{ shop { name } }");

        Assert.That((int)b.StatusCode, Is.EqualTo(200));
        Assert.That(_store.Faults(ShopA).Pending, Is.EqualTo(1));
        _store.Faults(ShopA).Clear();
        using var a = await Post(ShopA, "{ shop { name } }");
        Assert.That((int)a.StatusCode, Is.EqualTo(200));
    }

    [Test]
    public async Task FaultsEndpoint_QueuesAndClearsOverHttp()
    {
        var url = new Uri(_store.BaseAddress, $"_sandbox/{ShopA}/faults");
        using var queued = await _http.PostAsJsonAsync(url, new JsonObject { ["kind"] = "fail", ["count"] = 2, ["status"] = 502 });
        using var bad = await _http.PostAsJsonAsync(url, new JsonObject { ["kind"] = "explode" });

        Assert.That((int)queued.StatusCode, Is.EqualTo(200));
        Assert.That((int)bad.StatusCode, Is.EqualTo(400));
        using (var first = await Post(ShopA, "{ shop { name } }")) Assert.That((int)first.StatusCode, Is.EqualTo(502));
        using var cleared = await _http.DeleteAsync(url);
        Assert.That(_store.Faults(ShopA).Pending, Is.Zero);
        using var next = await Post(ShopA, "{ shop { name } }");
        Assert.That((int)next.StatusCode, Is.EqualTo(200));
    }
}
