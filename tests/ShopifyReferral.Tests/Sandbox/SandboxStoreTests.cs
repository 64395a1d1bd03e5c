using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ShopifyReferral.Sandbox;
using static ShopifyReferral.Tests.Sandbox.SandboxHttp;

namespace ShopifyReferral.Tests.Sandbox;

/// <summary>The sandbox spine: OAuth token endpoint, GraphQL auth and response shape.</summary>
public class SandboxStoreTests : SandboxTestBase
{
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
    public async Task AccessToken_CodeUsedTwice_Returns400InvalidGrant()
    {
        var code = _store.CreateAuthorizationCode(ShopA);
        using var first = await ExchangeCode(_http, _store, ShopA, code);
        using var second = await ExchangeCode(_http, _store, ShopA, code);
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        // OAuth's refusal of the grant itself (RFC 6749 §5.2): the app drops a grant only on this error.
        Assert.That((string?)(await Json(second))["error"], Is.EqualTo("invalid_grant"));
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
