using static ShopifyReferral.Tests.Sandbox.SandboxHttp;

namespace ShopifyReferral.Tests.Sandbox;

/// <summary>A token carries the scopes the merchant granted; a field needing another is denied as Shopify denies it.</summary>
public class SandboxScopeTests : SandboxTestBase
{
    private const string TagsAdd = """mutation { tagsAdd(id: "gid://shopify/Customer/7", tags: ["vip"]) { userErrors { message } } }""";

    private async Task<string> TokenWith(string scopes)
    {
        using var response = await ExchangeCode(_http, _store, ShopA, _store.CreateAuthorizationCode(ShopA, scopes));
        return (string)(await Json(response))["access_token"]!;
    }

    [Test]
    public async Task WithoutWriteCustomers_TagsAddIsAccessDenied_AndNothingChanges()
    {
        _store.AddCustomer(ShopA, "vip@example.com", id: 7);
        var (status, body) = await GraphQL(_http, _store, ShopA, await TokenWith("read_orders,read_customers"), TagsAdd);

        Assert.That(status, Is.EqualTo(200));
        Assert.That((string?)body["errors"]![0]!["extensions"]!["code"], Is.EqualTo("ACCESS_DENIED"));
        Assert.That((string?)body["errors"]![0]!["message"], Does.Contain("write_customers"));
        Assert.That(_store.CustomerTags(ShopA, 7), Is.Empty);
    }

    [Test]
    public async Task WithWriteCustomers_TagsAddWorks()
    {
        _store.AddCustomer(ShopA, "vip@example.com", id: 7);
        var (_, body) = await GraphQL(_http, _store, ShopA, await TokenWith("read_customers,write_customers"), TagsAdd);
        Assert.That(body["errors"], Is.Null);
        Assert.That(_store.CustomerTags(ShopA, 7), Is.EqualTo(new[] { "vip" }));
    }
}
