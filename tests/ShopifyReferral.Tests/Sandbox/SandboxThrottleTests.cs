using System.Text.Json.Nodes;
using ShopifyReferral.Sandbox;
using ShopifyReferral.Shopify;
using static ShopifyReferral.Tests.Sandbox.SandboxHttp;

namespace ShopifyReferral.Tests.Sandbox;

/// <summary>The per-shop cost bucket: 2000 points, 100 restored per second, THROTTLED when a request asks for more than is left.</summary>
[Category(Infrastructure.TestProvider.NoDatabase)]
public class SandboxThrottleTests : SandboxTestBase
{
    private Task<(int Status, JsonObject Body)> Create(string shop, string code) =>
        GraphQL(_http, _store, shop, _store.IssueAccessToken(shop), AdminDocuments.DiscountCodeBasicCreate, DiscountVariables(code));

    internal static JsonObject DiscountVariables(string code) => new()
    {
        ["discount"] = new JsonObject
        {
            ["title"] = code,
            ["code"] = code,
            ["startsAt"] = "2026-11-01T00:00:00Z",
            ["context"] = new JsonObject { ["all"] = "ALL" },
            ["customerGets"] = new JsonObject
            {
                ["value"] = new JsonObject { ["percentage"] = 0.1 },
                ["items"] = new JsonObject { ["all"] = true },
            },
        },
    };

    private static JsonNode Status(JsonObject body) => body["extensions"]!["cost"]!["throttleStatus"]!;

    [Test]
    public async Task Mutation_FullBucket_ChargesActualCostOnly()
    {
        var (_, body) = await Create(ShopA, "A1");

        var cost = body["extensions"]!["cost"]!;
        var requested = (int)cost["requestedQueryCost"]!;
        var actual = (int)cost["actualQueryCost"]!;
        Assert.That(requested, Is.GreaterThanOrEqualTo(10), "a mutation costs at least 10");
        Assert.That(actual, Is.LessThanOrEqualTo(requested));
        Assert.That((int)Status(body)["currentlyAvailable"]!, Is.EqualTo(2000 - actual));
    }

    [Test]
    public async Task RequestedAboveAvailable_ThrottledWithoutDataUntilRefilled()
    {
        _store.Throttle(ShopA).SetAvailable(5);

        var (status, body) = await Create(ShopA, "A1");

        Assert.That(status, Is.EqualTo(200), "Shopify answers THROTTLED with HTTP 200");
        Assert.That(body.ContainsKey("data"), Is.False);
        Assert.That((string?)body["errors"]![0]!["extensions"]!["code"], Is.EqualTo("THROTTLED"));
        Assert.That((string?)body["errors"]![0]!["message"], Is.EqualTo("Throttled"));
        Assert.That(body["extensions"]!["cost"]!["actualQueryCost"], Is.Null);
        Assert.That((int)Status(body)["currentlyAvailable"]!, Is.EqualTo(5));
        Assert.That(_store.Discounts(ShopA), Is.Empty);

        _time.Advance(TimeSpan.FromSeconds(0.05)); // +5 points: still short
        (_, body) = await Create(ShopA, "A1");
        Assert.That((int)Status(body)["currentlyAvailable"]!, Is.EqualTo(10));
        Assert.That((string?)body["errors"]![0]!["extensions"]!["code"], Is.EqualTo("THROTTLED"));

        _time.Advance(TimeSpan.FromSeconds(1));
        (_, body) = await Create(ShopA, "A1");
        Assert.That(body.ContainsKey("errors"), Is.False);
        Assert.That(_store.Discounts(ShopA), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task EmptyBucket_LongIdle_RefillsOnlyToMaximum()
    {
        _store.Throttle(ShopA).SetAvailable(0);
        _time.Advance(TimeSpan.FromHours(1));

        var (_, body) = await GraphQL(_http, _store, ShopA, _store.IssueAccessToken(ShopA), "{ shop { name } }");

        Assert.That((int)Status(body)["currentlyAvailable"]!, Is.EqualTo(1999));
    }

    [Test]
    public async Task EmptyBucket_OtherShopUnaffected()
    {
        _store.Throttle(ShopA).SetAvailable(0);

        var (_, a) = await Create(ShopA, "X");
        var (_, b) = await Create(ShopB, "X");

        Assert.That((string?)a["errors"]![0]!["extensions"]!["code"], Is.EqualTo("THROTTLED"));
        Assert.That(b.ContainsKey("errors"), Is.False);
    }
}
