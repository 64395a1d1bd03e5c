using ShopifyReferral.Install;
using ShopifyReferral.Shopify;
using ShopifyReferral.Tests.Infrastructure;
using Tomlyn;
using Tomlyn.Model;

namespace ShopifyReferral.Tests.App;

/// <summary>shopify.app.toml and the extensions' TOML, read with a real TOML parser, agree with what the code does.</summary>
public class ConfigurationTests
{
    private static TomlTable Read(params string[] path) => TomlSerializer.Deserialize<TomlTable>(File.ReadAllText(Repo.Path(path)))!;

    private static IEnumerable<TomlTable> Subscriptions(TomlTable app) =>
        ((TomlTableArray)((TomlTable)app["webhooks"])["subscriptions"]).Cast<TomlTable>();

    private static string[] Strings(object array) => [.. ((TomlArray)array).Select(x => (string)x!)];

    [Test]
    public void AppToml_SubscribesExactlyTheTopicsTheAppHandles()
    {
        var toml = Subscriptions(Read("shopify.app.toml")).Where(s => s.ContainsKey("topics")).SelectMany(s => Strings(s["topics"]));
        // TOML spells orders/paid what the GraphQL enum spells ORDERS_PAID.
        Assert.That(toml.Select(t => t.Replace('/', '_').ToUpperInvariant()), Is.EquivalentTo(WebhookSubscriptions.Topics));
    }

    [Test]
    public void AppToml_HasTheComplianceWebhooks_AtTheWebhookEndpoint()
    {
        var compliance = Subscriptions(Read("shopify.app.toml")).Single(s => s.ContainsKey("compliance_topics"));
        Assert.That(Strings(compliance["compliance_topics"]), Is.EquivalentTo(new[] { "customers/data_request", "customers/redact", "shop/redact" }));
        Assert.That(Subscriptions(Read("shopify.app.toml")).Select(s => (string)s["uri"]), Has.All.EndsWith("/webhooks"));
        Assert.That((string)((TomlTable)Read("shopify.app.toml")["webhooks"])["api_version"], Is.EqualTo(new ShopifyOptions().ApiVersion));
    }

    [Test]
    public void AppToml_ScopesAndAppProxy_MatchTheApp()
    {
        var app = Read("shopify.app.toml");
        Assert.That(((string)((TomlTable)app["access_scopes"])["scopes"]).Split(','), Is.EquivalentTo(new ShopifyOptions().Scopes.Split(',')));
        var proxy = (TomlTable)app["app_proxy"];
        Assert.That(((string)proxy["prefix"], (string)proxy["subpath"]), Is.EqualTo(("apps", "referral")));
        Assert.That((string)proxy["url"], Does.EndWith("/proxy"));
        Assert.That(Strings(((TomlTable)app["auth"])["redirect_urls"]), Has.All.EndWith("/auth/callback"));
    }

    [TestCase("referral-thank-you", "purchase.thank-you.block.render", "customer-account.order-status.block.render")]
    [TestCase("referral-account", "customer-account.page.render")]
    public void ExtensionToml_TargetsItsPages_WithNetworkAccess(string folder, params string[] targets)
    {
        var extension = ((TomlTableArray)Read("extensions", folder, "shopify.extension.toml")["extensions"]).Cast<TomlTable>().Single();
        Assert.That((string)extension["handle"], Is.EqualTo(folder));
        Assert.That((bool)((TomlTable)extension["capabilities"])["network_access"], Is.True, "the extension calls the app's backend");
        var targeting = ((TomlTableArray)extension["targeting"]).Cast<TomlTable>().ToList();
        Assert.That(targeting.Select(t => (string)t["target"]), Is.EquivalentTo(targets));
        foreach (var t in targeting)
            Assert.That(File.Exists(Repo.Path("extensions", folder, ((string)t["module"]).TrimStart('.', '/'))), Is.True, (string)t["module"]);
    }
}
