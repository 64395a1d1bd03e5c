using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ShopifyReferral.Sandbox;
using static ShopifyReferral.Tests.Sandbox.SandboxHttp;

namespace ShopifyReferral.Tests.Sandbox;

/// <summary>The sandbox spine: OAuth token endpoint, GraphQL auth and shape, webhook signing.</summary>
public class SandboxStoreTests
{
    private const string ShopA = "alpha.myshopify.com";
    private const string ShopB = "beta.myshopify.com";
    private ManualTimeProvider _time = null!;
    private SandboxStore _store = null!;
    private HttpClient _http = null!;

    [SetUp]
    public async Task Start()
    {
        _time = new ManualTimeProvider(new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero));
        _store = await SandboxStore.StartAsync(new SandboxOptions { Time = _time });
        _http = new HttpClient();
    }

    [TearDown]
    public async Task Stop()
    {
        _http.Dispose();
        await _store.DisposeAsync();
    }

    [Test]
    public void StartAsync_PortZero_BindsRealPortAndTemplate()
    {
        Assert.That(_store.BaseAddress.Port, Is.GreaterThan(0));
        Assert.That(_store.AdminBaseUrlTemplate, Is.EqualTo($"http://127.0.0.1:{_store.BaseAddress.Port}/{{shop}}"));
    }

    [Test]
    public async Task AccessToken_ValidExpiringCode_ReturnsTokenWithRefresh()
    {
        using var response = await ExchangeCode(_http, _store, ShopA, _store.CreateAuthorizationCode(ShopA));
        var body = await Json(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((string?)body["access_token"], Does.StartWith("shpat_"));
        Assert.That((int?)body["expires_in"], Is.EqualTo(3600));
        Assert.That((string?)body["refresh_token"], Is.Not.Empty);
        Assert.That(body["refresh_token_expires_in"], Is.Not.Null);
        Assert.That((string?)body["scope"], Does.Contain("write_discounts"));
    }

    [Test]
    public async Task AccessToken_NotExpiring_ReturnsOnlyTokenAndScope()
    {
        using var response = await ExchangeCode(_http, _store, ShopA, _store.CreateAuthorizationCode(ShopA), expiring: false);
        var body = await Json(response);
        Assert.That(body.Select(p => p.Key), Is.EquivalentTo(new[] { "access_token", "scope" }));
    }

    [Test]
    public async Task AccessToken_CodeUsedTwice_Returns400InvalidRequest()
    {
        var code = _store.CreateAuthorizationCode(ShopA);
        using var first = await ExchangeCode(_http, _store, ShopA, code);
        using var second = await ExchangeCode(_http, _store, ShopA, code);
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((string?)(await Json(second))["error"], Is.EqualTo("invalid_request"));
    }

    [Test]
    public async Task AccessToken_WrongSecret_Returns400()
    {
        using var response = await ExchangeCode(_http, _store, ShopA, _store.CreateAuthorizationCode(ShopA), secret: "nope");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((string?)(await Json(response))["error_description"], Is.Not.Empty);
    }

    [Test]
    public async Task AccessToken_CodeForOtherShop_Returns400()
    {
        using var response = await ExchangeCode(_http, _store, ShopB, _store.CreateAuthorizationCode(ShopA));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task AccessToken_FormEncoded_ReturnsToken()
    {
        using var response = await _http.PostAsync(new Uri(_store.BaseAddress, $"{ShopA}/admin/oauth/access_token"),
            new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["client_id"] = _store.Options.ClientId,
                ["client_secret"] = _store.Options.ClientSecret,
                ["code"] = _store.CreateAuthorizationCode(ShopA),
            }));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task AccessToken_RefreshAfterExpiry_IssuesNewTokenAndRotatesRefreshToken()
    {
        using var exchange = await ExchangeCode(_http, _store, ShopA, _store.CreateAuthorizationCode(ShopA));
        var first = await Json(exchange);
        _time.Advance(TimeSpan.FromMinutes(61));
        Assert.That((await GraphQL(_http, _store, ShopA, (string?)first["access_token"], "{ shop { name } }")).Status, Is.EqualTo(401));

        var second = await Json(await Refresh((string)first["refresh_token"]!));
        var (status, _) = await GraphQL(_http, _store, ShopA, (string?)second["access_token"], "{ shop { name } }");
        Assert.That(status, Is.EqualTo(200));
        Assert.That((string?)second["refresh_token"], Is.Not.EqualTo((string?)first["refresh_token"]));

        // Once the new access token has been used, the old refresh token is dead.
        using var reuse = await Refresh((string)first["refresh_token"]!);
        Assert.That(reuse.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task GraphQL_WithoutToken_Returns401WithShopifyMessage()
    {
        var (status, body) = await GraphQL(_http, _store, ShopA, null, "{ shop { name } }");
        Assert.That(status, Is.EqualTo(401));
        Assert.That((string?)body["errors"], Is.EqualTo("[API] Invalid API key or access token (unrecognized login or wrong password)"));
    }

    [Test]
    public async Task GraphQL_TokenOfOtherShop_Returns401()
    {
        var (status, _) = await GraphQL(_http, _store, ShopB, _store.IssueAccessToken(ShopA), "{ shop { name } }");
        Assert.That(status, Is.EqualTo(401));
    }

    [Test]
    public async Task GraphQL_ShopQuery_ReturnsSelectedFieldsAndCost()
    {
        var (status, body) = await GraphQL(_http, _store, ShopA, _store.IssueAccessToken(ShopA),
            "query Q { shop { name domain: myshopifyDomain } }");
        Assert.That(status, Is.EqualTo(200));
        var shop = body["data"]!["shop"]!.AsObject();
        Assert.That(shop.Select(p => p.Key), Is.EqualTo(new[] { "name", "domain" }));
        Assert.That((string?)shop["domain"], Is.EqualTo(ShopA));
        var cost = body["extensions"]!["cost"]!;
        Assert.That((int?)cost["requestedQueryCost"], Is.EqualTo(1));
        Assert.That((int?)cost["actualQueryCost"], Is.EqualTo(1));
        Assert.That((double?)cost["throttleStatus"]!["maximumAvailable"], Is.EqualTo(2000));
        Assert.That((int?)cost["throttleStatus"]!["currentlyAvailable"], Is.EqualTo(1999));
        Assert.That((double?)cost["throttleStatus"]!["restoreRate"], Is.EqualTo(100));
    }

    [Test]
    public async Task GraphQL_UnknownRootField_ReturnsUndefinedFieldErrorAndNoData()
    {
        var (status, body) = await GraphQL(_http, _store, ShopA, _store.IssueAccessToken(ShopA), "{ shop { name } nope }");
        Assert.That(status, Is.EqualTo(200));
        Assert.That(body.ContainsKey("data"), Is.False);
        Assert.That((string?)body["errors"]![0]!["message"], Is.EqualTo("Field 'nope' doesn't exist on type 'QueryRoot'"));
        Assert.That(body["extensions"]!["cost"], Is.Not.Null);
    }

    [Test]
    public async Task GraphQL_UnknownMutation_NamesMutationType()
    {
        var (_, body) = await GraphQL(_http, _store, ShopA, _store.IssueAccessToken(ShopA), "mutation { nope { id } }");
        Assert.That((string?)body["errors"]![0]!["message"], Is.EqualTo("Field 'nope' doesn't exist on type 'Mutation'"));
    }

    [Test]
    public async Task GraphQL_ParseError_Returns200WithErrors()
    {
        var (status, body) = await GraphQL(_http, _store, ShopA, _store.IssueAccessToken(ShopA), "{ shop { name }");
        Assert.That(status, Is.EqualTo(200));
        Assert.That((string?)body["errors"]![0]!["extensions"]!["code"], Is.EqualTo("PARSE_ERROR"));
    }

    [Test]
    public async Task SendWebhook_ToReceiver_SignsRawBodyAndSendsShopifyHeaders()
    {
        await using var receiver = await WebhookReceiver.StartAsync(_store.Options.ClientSecret);
        var body = Encoding.UTF8.GetBytes("""{"id":820982911946154508,"email":"jon@example.com"}""");
        var result = await _store.SendWebhookAsync(receiver.Url, ShopA, "orders/paid", body, webhookId: "wh-1");

        Assert.That(result.StatusCode, Is.EqualTo(200));
        var got = receiver.All.Single();
        Assert.That(got.HmacValid, Is.True);
        Assert.That(got.Body, Is.EqualTo(body));
        Assert.That(got.Headers["X-Shopify-Topic"].ToString(), Is.EqualTo("orders/paid"));
        Assert.That(got.Headers["X-Shopify-Shop-Domain"].ToString(), Is.EqualTo(ShopA));
        Assert.That(got.Headers["X-Shopify-API-Version"].ToString(), Is.EqualTo("2026-10"));
        Assert.That(got.Headers["X-Shopify-Webhook-Id"].ToString(), Is.EqualTo("wh-1"));
        Assert.That(got.Headers["X-Shopify-Event-Id"].ToString(), Is.Not.Empty);
        Assert.That(got.Headers["X-Shopify-Triggered-At"].ToString(), Does.StartWith("2026-11-22T00:00:00").And.EndWith("Z"));
        Assert.That(got.Headers.ContentType.ToString(), Does.StartWith("application/json"));
        Assert.That(_store.Deliveries.Single().WebhookId, Is.EqualTo("wh-1"));
    }

    [Test]
    public async Task SendWebhook_ReceiverWithOtherSecret_RecordsFailedDelivery()
    {
        await using var receiver = await WebhookReceiver.StartAsync("another-secret");
        var result = await _store.SendWebhookAsync(receiver.Url, ShopA, "orders/paid", "{}"u8.ToArray());
        Assert.That(result.StatusCode, Is.EqualTo(401));
        Assert.That(result.Succeeded, Is.False);
    }

    [Test]
    public async Task SendWebhook_NobodyListening_RecordsErrorInsteadOfThrowing()
    {
        var result = await _store.SendWebhookAsync(new Uri("http://127.0.0.1:1/webhooks"), ShopA, "orders/paid", "{}"u8.ToArray());
        Assert.That(result.StatusCode, Is.EqualTo(0));
        Assert.That(result.Error, Is.Not.Null);
    }

    [Test]
    public async Task PlaceOrder_WithCustomer_SendsCreateThenPaidWithRestShape()
    {
        await using var receiver = await WebhookReceiver.StartAsync(_store.Options.ClientSecret);
        var results = await _store.PlaceOrderAsync(ShopA,
            new SandboxOrder { CustomerId = 207119551, Subtotal = 90m, DiscountCode = "THANKS-1", DiscountAmount = 10m }, receiver.Url);

        Assert.That(results.Select(r => r.Topic), Is.EqualTo(new[] { "orders/create", "orders/paid" }));
        Assert.That(results[0].WebhookId, Is.Not.EqualTo(results[1].WebhookId));
        var paid = JsonNode.Parse(receiver.All[1].Body)!;
        Assert.That((string?)paid["financial_status"], Is.EqualTo("paid"));
        Assert.That((string?)paid["total_discounts"], Is.EqualTo("10.00"));
        Assert.That((string?)paid["discount_codes"]![0]!["code"], Is.EqualTo("THANKS-1"));
        Assert.That((long?)paid["customer"]!["id"], Is.EqualTo(207119551));
        Assert.That((string?)paid["admin_graphql_api_id"], Does.StartWith("gid://shopify/Order/"));
        Assert.That(_store.Shop(ShopA).FindCustomer(207119551)!.NumberOfOrders, Is.EqualTo(1));
    }

    [Test]
    public async Task PlaceOrder_Guest_SendsNullCustomer()
    {
        await using var receiver = await WebhookReceiver.StartAsync(_store.Options.ClientSecret);
        await _store.PlaceOrderAsync(ShopA, new SandboxOrder(), receiver.Url);
        var created = JsonNode.Parse(receiver.All[0].Body)!.AsObject();
        Assert.That(created.ContainsKey("customer") && created["customer"] is null, Is.True);
        Assert.That((string?)created["financial_status"], Is.EqualTo("pending"));
    }

    private Task<HttpResponseMessage> Refresh(string refreshToken) =>
        _http.PostAsync(new Uri(_store.BaseAddress, $"{ShopA}/admin/oauth/access_token"), JsonContent(new JsonObject
        {
            ["client_id"] = _store.Options.ClientId,
            ["client_secret"] = _store.Options.ClientSecret,
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
        }));

    private static StringContent JsonContent(JsonObject o) => new(o.ToJsonString(), Encoding.UTF8, "application/json");
}
