using System.Net;
using System.Xml.Linq;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.App;

/// <summary>
/// What ships is the app alone: the sandbox store, its demo, its preview pages and the dev token live in the dev host
/// (src/ShopifyReferral.DevHost), so a deployment cannot serve a fake Shopify or mint tokens, whatever its settings.
/// </summary>
public class ProductionAssemblyTests
{
    private static readonly string[] DevOnly = ["ShopifyReferral.Sandbox", "ShopifyReferral.DevHost"];

    [Test]
    [Category(TestProvider.NoDatabase)]
    public void Project_ReferencesNeitherTheSandboxNorTheDevHost()
    {
        var project = XDocument.Load(Repo.Path("src", "ShopifyReferral", "ShopifyReferral.csproj"));
        var references = project.Descendants("ProjectReference").Select(r => (string?)r.Attribute("Include") ?? "").ToList();
        Assert.That(references.Where(r => DevOnly.Any(r.Contains)), Is.Empty, "ProjectReference: " + string.Join(", ", references));
    }

    [Test]
    [Category(TestProvider.NoDatabase)]
    public void Assembly_ReferencesNoSandboxAssembly_AndHasNoSandboxType()
    {
        var assembly = typeof(Program).Assembly;
        var referenced = assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();
        Assert.That(referenced, Does.Not.Contain("ShopifyReferral.Sandbox").And.Not.Contain("ShopifyReferral.DevHost"));
        Assert.That(assembly.GetTypes().Where(t => t.Name.StartsWith("Sandbox", StringComparison.Ordinal)).Select(t => t.FullName), Is.Empty);
        // What `dotnet publish` would copy comes from the deps file: the built app's lists no sandbox either.
        var deps = Path.ChangeExtension(Repo.AppDll, ".deps.json");
        Assert.That(File.Exists(deps), Is.True, deps);
        Assert.That(File.ReadAllText(deps), Does.Not.Contain("ShopifyReferral.Sandbox").And.Not.Contain("ShopifyReferral.DevHost"));
    }

    [TestCase("/sandbox/thank-you?order=1")]
    [TestCase("/sandbox/thank-you?order=1&target=order-status")]
    [TestCase("/sandbox/account?customer=1")]
    [TestCase("/sandbox/extensions/referral-thank-you/dist/thank-you.js")]
    [TestCase("/app/dev-token?shop=alpha.myshopify.com")]
    public async Task DevOnlyPaths_Answer404_EvenInDevelopment(string path)
    {
        using var app = new TestApp(new() { ["Webhooks:Workers"] = "0", ["Referrals:Background"] = "false" }, environment: "Development");
        var response = await app.CreateClient().GetAsync(path);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public void Routes_NoneUnderSandbox_NoTokenMinting()
    {
        using var app = new TestApp(new() { ["Webhooks:Workers"] = "0", ["Referrals:Background"] = "false" }, environment: "Development");
        app.StartServer();
        var routes = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => e.RoutePattern.RawText ?? "").ToList();
        Assert.That(routes, Has.Some.StartWith("/webhooks"), "the app's own routes are listed");
        Assert.That(routes.Where(r => r.StartsWith("/sandbox", StringComparison.OrdinalIgnoreCase) || r.Contains("dev-token", StringComparison.OrdinalIgnoreCase)),
            Is.Empty, "routes: " + string.Join(", ", routes));
    }
}
