using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ShopifyReferral.Shopify;

namespace ShopifyReferral.Tests.Shopify;

/// <summary>What goes over the wire and how answers map back.</summary>
public class ShopifyAdminWireTests
{
    private ScriptedShopify _shopify = null!;

    [SetUp]
    public async Task StartServer() => _shopify = await ScriptedShopify.StartAsync();

    [TearDown]
    public async Task StopServer() => await _shopify.DisposeAsync();

    private static CodeDiscountSpec Spec(DiscountKind kind, decimal value, IReadOnlyList<string>? customers = null) => new()
    {
        Title = "Referral reward", Code = "THANKS-JANE-8H3D", StartsAt = new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero),
        EndsAt = new DateTimeOffset(2027, 2, 20, 0, 0, 0, TimeSpan.Zero), Kind = kind, Value = value, CustomerGids = customers,
        MinimumSubtotal = 30m, UsageLimit = 1, AppliesOncePerCustomer = true,
        CombinesWith = new DiscountCombinations(false, false, true),
    };

    private JsonNode Sent(int index = 0) => _shopify.Requests.ElementAt(index).Body;

    [Test]
    public async Task CreateCodeDiscount_Percentage_PostsTokenToVersionedEndpointWithFraction()
    {
        _shopify.ThenJson(ScriptedShopify.Created());
        var client = _shopify.CreateClient();

        await client.CreateCodeDiscountAsync(ScriptedShopify.Shop, Spec(DiscountKind.Percentage, 0.1m, ["gid://shopify/Customer/7"]), CancellationToken.None);

        var request = _shopify.Requests.Single();
        Assert.That(request.Path, Is.EqualTo($"/{ScriptedShopify.Shop}/admin/api/2026-10/graphql.json"));
        Assert.That(request.AccessToken, Is.EqualTo(ScriptedShopify.Token));
        Assert.That(request.Body["query"]!.GetValue<string>(), Is.EqualTo(AdminDocuments.DiscountCodeBasicCreate));
        var d = request.Body["variables"]!["discount"]!;
        Assert.That(d["customerGets"]!["value"]!["percentage"]!.GetValue<double>(), Is.EqualTo(0.1));
        Assert.That(d["context"]!["customers"]!["add"]![0]!.GetValue<string>(), Is.EqualTo("gid://shopify/Customer/7"));
        Assert.That(d["context"]!["all"], Is.Null);
        Assert.That(d["startsAt"]!.GetValue<string>(), Is.EqualTo("2026-11-22T00:00:00Z"));
        Assert.That(d["minimumRequirement"]!["subtotal"]!["greaterThanOrEqualToSubtotal"]!.GetValue<string>(), Is.EqualTo("30.00"));
        Assert.That(d["combinesWith"]!["shippingDiscounts"]!.GetValue<bool>(), Is.True);
    }

    [Test]
    public async Task CreateCodeDiscount_FixedAmountForEveryone_SendsDecimalStringAndContextAll()
    {
        _shopify.ThenJson(ScriptedShopify.Created());
        var client = _shopify.CreateClient();

        await client.CreateCodeDiscountAsync(ScriptedShopify.Shop, Spec(DiscountKind.FixedAmount, 10m), CancellationToken.None);

        var d = Sent()["variables"]!["discount"]!;
        Assert.That(d["customerGets"]!["value"]!["discountAmount"]!["amount"]!.GetValue<string>(), Is.EqualTo("10.00"));
        Assert.That(d["context"]!["all"]!.GetValue<string>(), Is.EqualTo("ALL"));
    }

    [Test]
    public async Task CreateCodeDiscount_FreeShipping_UsesFreeShippingMutation()
    {
        _shopify.ThenJson(ScriptedShopify.Created().Replace("discountCodeBasicCreate", "discountCodeFreeShippingCreate"));
        var client = _shopify.CreateClient();

        await client.CreateCodeDiscountAsync(ScriptedShopify.Shop, Spec(DiscountKind.FreeShipping, 0m), CancellationToken.None);

        Assert.That(Sent()["query"]!.GetValue<string>(), Is.EqualTo(AdminDocuments.DiscountCodeFreeShippingCreate));
        Assert.That(Sent()["variables"]!["discount"]!["destination"]!["all"]!.GetValue<bool>(), Is.True);
        Assert.That(Sent()["variables"]!["discount"]!["customerGets"], Is.Null);
    }

    [TestCase(10)]
    [TestCase(0)]
    public void CreateCodeDiscount_PercentageNotAFraction_ThrowsBeforeSending(decimal value)
    {
        var client = _shopify.CreateClient();

        Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            client.CreateCodeDiscountAsync(ScriptedShopify.Shop, Spec(DiscountKind.Percentage, value), CancellationToken.None));
        Assert.That(_shopify.Requests, Is.Empty);
    }

    [Test]
    public void CreateCodeDiscount_NotAMyshopifyDomain_ThrowsBeforeSending()
    {
        var client = _shopify.CreateClient();

        Assert.ThrowsAsync<ArgumentException>(() =>
            client.CreateCodeDiscountAsync("evil.example.com/x?", Spec(DiscountKind.FixedAmount, 5m), CancellationToken.None));
        Assert.That(_shopify.Requests, Is.Empty);
    }

    [Test]
    public async Task AddRedeemCodes_300Codes_SendsBatchesOf250()
    {
        const string ok = """{"data":{"discountRedeemCodeBulkAdd":{"bulkCreation":{"id":"gid://shopify/DiscountRedeemCodeBulkCreation/1"},"userErrors":[]}}}""";
        _shopify.ThenJson(ok).ThenJson(ok);
        var client = _shopify.CreateClient();

        await client.AddRedeemCodesAsync(ScriptedShopify.Shop, "gid://shopify/DiscountCodeNode/1",
            [.. Enumerable.Range(0, 300).Select(i => $"CODE{i}")], CancellationToken.None);

        Assert.That(Sent(0)["variables"]!["codes"]!.AsArray(), Has.Count.EqualTo(250));
        Assert.That(Sent(1)["variables"]!["codes"]!.AsArray(), Has.Count.EqualTo(50));
    }

    [Test]
    public async Task GetCustomerOrderCount_UnsignedInt64AsString_ParsesIt()
    {
        _shopify.ThenJson("""{"data":{"customer":{"id":"gid://shopify/Customer/7","numberOfOrders":"3"}}}""")
                .ThenJson("""{"data":{"customer":null}}""");
        var client = _shopify.CreateClient();

        Assert.That(await client.GetCustomerOrderCountAsync(ScriptedShopify.Shop, "gid://shopify/Customer/7", CancellationToken.None), Is.EqualTo(3));
        Assert.That(await client.GetCustomerOrderCountAsync(ScriptedShopify.Shop, "gid://shopify/Customer/8", CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task GetOrdersUpdatedSince_Page_MapsOrdersAndSendsSearchQuery()
    {
        _shopify.ThenJson("""
            {"data":{"orders":{"nodes":[{"id":"gid://shopify/Order/5893217321195","legacyResourceId":"5893217321195","name":"#1217",
              "email":"friend@example.com","createdAt":"2026-11-21T15:03:11Z","updatedAt":"2026-11-21T15:03:14Z","cancelledAt":null,
              "test":false,"displayFinancialStatus":"PAID","discountCodes":["REF-JANE-7Q2K"],
              "subtotalPriceSet":{"shopMoney":{"amount":"90.0","currencyCode":"USD"}},
              "currentSubtotalPriceSet":{"shopMoney":{"amount":"80.0","currencyCode":"USD"}},
              "totalPriceSet":{"shopMoney":{"amount":"87.2","currencyCode":"USD"}},
              "customer":{"id":"gid://shopify/Customer/207119551","numberOfOrders":"1","defaultEmailAddress":{"emailAddress":"friend@example.com"}}}],
              "pageInfo":{"hasNextPage":true,"endCursor":"abc"}}}}
            """);
        var client = _shopify.CreateClient();

        var page = await client.GetOrdersUpdatedSinceAsync(ScriptedShopify.Shop,
            new DateTimeOffset(2026, 11, 21, 10, 0, 0, 500, TimeSpan.FromHours(-5)), "cursor-1", CancellationToken.None);

        var variables = Sent()["variables"]!;
        Assert.That(variables["query"]!.GetValue<string>(), Is.EqualTo("updated_at:>'2026-11-21T15:00:00Z'"));
        Assert.That(variables["after"]!.GetValue<string>(), Is.EqualTo("cursor-1"));
        Assert.That(page is { HasNextPage: true, EndCursor: "abc" });
        var order = page.Orders.Single();
        Assert.That(order.LegacyId, Is.EqualTo(5893217321195));
        Assert.That(order.DiscountCodes, Is.EqualTo(new[] { "REF-JANE-7Q2K" }));
        Assert.That(order.CustomerNumberOfOrders, Is.EqualTo(1));
        Assert.That(order.CustomerEmail, Is.EqualTo("friend@example.com"));
        Assert.That((order.Subtotal, order.CurrentSubtotal, order.Total, order.Currency), Is.EqualTo((90m, 80m, 87.2m, "USD")));
        Assert.That(order.FinancialStatus, Is.EqualTo("PAID"));
    }

    [Test]
    public void AddShopifyAdmin_AdminBaseUrlWithoutShop_FailsValidationNamingTheKey()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Shopify:AdminBaseUrl"] = "https://example.com",
        }).Build();
        using var services = new ServiceCollection().AddShopifyAdmin(config).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => _ = services.GetRequiredService<IOptions<ShopifyOptions>>().Value)!;

        Assert.That(error.Message, Does.Contain("Shopify:AdminBaseUrl"));
    }
}
