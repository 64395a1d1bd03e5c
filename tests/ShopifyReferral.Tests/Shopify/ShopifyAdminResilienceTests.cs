using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Http;
using ShopifyReferral.Shopify;

namespace ShopifyReferral.Tests.Shopify;

[Category(Infrastructure.TestProvider.NoDatabase)]
public class ShopifyAdminResilienceTests
{
    private ScriptedShopify _shopify = null!;

    [SetUp]
    public async Task StartServer() => _shopify = await ScriptedShopify.StartAsync();

    [TearDown]
    public async Task StopServer() => await _shopify.DisposeAsync();

    private static CodeDiscountSpec TenPercent => new()
    {
        Title = "Referral reward", Code = "THANKS-JANE-8H3D", StartsAt = new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero),
        Kind = DiscountKind.Percentage, Value = 0.1m, CustomerGids = ["gid://shopify/Customer/207119551"],
    };

    [Test]
    public async Task CreateCodeDiscount_Http429WithRetryAfter_WaitsThenSucceeds()
    {
        _shopify.ThenJson("""{"errors":"Exceeded 2 calls per second for api client."}""", 429, headers: ("Retry-After", "1.0"))
                .ThenJson(ScriptedShopify.Created());
        var client = _shopify.CreateClient();

        var clock = Stopwatch.StartNew();
        var created = await client.CreateCodeDiscountAsync(ScriptedShopify.Shop, TenPercent, CancellationToken.None);

        Assert.That(created.DiscountGid, Is.EqualTo("gid://shopify/DiscountCodeNode/1"));
        Assert.That(_shopify.Requests, Has.Count.EqualTo(2));
        Assert.That(clock.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(900)), "Retry-After: 1.0 was not honoured");
    }

    [Test]
    public async Task CreateCodeDiscount_Http503ThenOk_Retries()
    {
        _shopify.ThenJson("""{"errors":"Service unavailable"}""", 503).ThenJson(ScriptedShopify.Created());
        var client = _shopify.CreateClient();

        var created = await client.CreateCodeDiscountAsync(ScriptedShopify.Shop, TenPercent, CancellationToken.None);

        Assert.That(created.Status, Is.EqualTo("ACTIVE"));
        Assert.That(_shopify.Requests, Has.Count.EqualTo(2));
    }

    [Test]
    public void CreateCodeDiscount_Http503Always_ThrowsHttpErrorWithRequestIdAfterRetries()
    {
        for (var i = 0; i < 4; i++) _shopify.ThenJson("""{"errors":"down"}""", 503, requestId: $"req-{i}");
        var client = _shopify.CreateClient();

        var error = Assert.ThrowsAsync<ShopifyHttpException>(() => client.CreateCodeDiscountAsync(ScriptedShopify.Shop, TenPercent, CancellationToken.None))!;

        Assert.That(error.Status, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(error.RequestId, Is.EqualTo("req-3"));
        Assert.That(_shopify.Requests, Has.Count.EqualTo(4), "one attempt plus MaxRetryAttempts = 3");
    }

    [Test]
    public void CreateCodeDiscount_Http401_ThrowsWithoutRetry()
    {
        _shopify.ThenJson("""{"errors":"[API] Invalid API key or access token"}""", 401).ThenJson(ScriptedShopify.Created());
        var client = _shopify.CreateClient();

        var error = Assert.ThrowsAsync<ShopifyHttpException>(() => client.CreateCodeDiscountAsync(ScriptedShopify.Shop, TenPercent, CancellationToken.None))!;

        Assert.That(error.Status, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(_shopify.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task CreateCodeDiscount_Throttled_WaitsForBucketThenSucceeds()
    {
        // (752 - 700) / 100 per second = 0.52 s, above the 50 ms floor the test configures.
        _shopify.ThenJson(ScriptedShopify.Throttled(752, 700)).ThenJson(ScriptedShopify.Created());
        var client = _shopify.CreateClient();

        var clock = Stopwatch.StartNew();
        await client.CreateCodeDiscountAsync(ScriptedShopify.Shop, TenPercent, CancellationToken.None);

        Assert.That(_shopify.Requests, Has.Count.EqualTo(2));
        Assert.That(clock.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(450)));
    }

    [Test]
    public void CreateCodeDiscount_UserErrors_ThrowsUserErrorWithoutRetry()
    {
        _shopify.ThenJson("""
            {"data":{"discountCodeBasicCreate":{"codeDiscountNode":null,"userErrors":[
              {"field":["basicCodeDiscount","code"],"code":"TAKEN","message":"Code must be unique. Please try a different code."}]}},
             "extensions":{"cost":{"requestedQueryCost":10,"actualQueryCost":10}}}
            """, requestId: "req-user").ThenJson(ScriptedShopify.Created());
        var client = _shopify.CreateClient();

        var error = Assert.ThrowsAsync<ShopifyUserErrorException>(() => client.CreateCodeDiscountAsync(ScriptedShopify.Shop, TenPercent, CancellationToken.None))!;

        Assert.That(error.Message, Does.Contain("Code must be unique"));
        Assert.That(error.RequestId, Is.EqualTo("req-user"));
        Assert.That(error.UserErrors[0].Code, Is.EqualTo("TAKEN"));
        Assert.That(error.UserErrors[0].Field, Is.EqualTo(new[] { "basicCodeDiscount", "code" }));
        Assert.That(_shopify.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public void FindDiscountByCode_TopLevelErrors_ThrowsGraphQLErrorWithoutRetry()
    {
        _shopify.ThenJson("""{"errors":[{"message":"Access denied for codeDiscountNodeByCode field.","extensions":{"code":"ACCESS_DENIED"}}]}""",
            requestId: "req-denied");
        var client = _shopify.CreateClient();

        var error = Assert.ThrowsAsync<ShopifyGraphQLException>(() => client.FindDiscountByCodeAsync(ScriptedShopify.Shop, "X", CancellationToken.None))!;

        Assert.That(error.Errors.Single().Code, Is.EqualTo("ACCESS_DENIED"));
        Assert.That(error.RequestId, Is.EqualTo("req-denied"));
        Assert.That(_shopify.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task CreateCodeDiscount_HangingResponse_TimesOutAndRetries()
    {
        _shopify.Then(async context => await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted))
                .ThenJson(ScriptedShopify.Created());
        var client = _shopify.CreateClient();

        var clock = Stopwatch.StartNew();
        await client.CreateCodeDiscountAsync(ScriptedShopify.Shop, TenPercent, CancellationToken.None);

        Assert.That(_shopify.Requests, Has.Count.EqualTo(2));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)), "the 500 ms per-attempt timeout did not fire");
    }

    [Test]
    public async Task ExecuteAsync_LowBucket_PacesNextCall()
    {
        // The first answer leaves 0 points at 100/s; the next call of the same document (cost 30) must wait ~0.3 s.
        var body = ScriptedShopify.Created().Replace(ScriptedShopify.Cost(10, 1990), ScriptedShopify.Cost(30, 0));
        _shopify.ThenJson(body).ThenJson(body);
        var client = _shopify.CreateClient();
        await client.CreateCodeDiscountAsync(ScriptedShopify.Shop, TenPercent, CancellationToken.None);

        var clock = Stopwatch.StartNew();
        await client.CreateCodeDiscountAsync(ScriptedShopify.Shop, TenPercent, CancellationToken.None);

        Assert.That(clock.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(250)));
        Assert.That(_shopify.Get<ShopPacer>().EstimateAvailable(ScriptedShopify.Shop), Is.LessThan(100));
    }
}
