using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.Dashboard;

/// <summary>The hand-written /api/openapi.json must list every /api route the app maps, with its method, and nothing it doesn't.</summary>
public class OpenApiTests
{
    [Test]
    public async Task OpenApiDocument_CoversEveryMappedApiRoute()
    {
        using var app = new TestApp(new() { ["Webhooks:Workers"] = "0", ["Referrals:Background"] = "false" });
        var http = app.CreateClient();
        var response = await http.GetAsync("/api/openapi.json");
        Assert.That((int)response.StatusCode, Is.EqualTo(200), "served without a session token");
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(doc.RootElement.GetProperty("openapi").GetString(), Does.StartWith("3."));
        var documented = doc.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(m => $"{m.Name.ToUpperInvariant()} {p.Name}")).ToHashSet();

        var mapped = app.Service<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true && e.RoutePattern.RawText != "/api/openapi.json")
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => $"{m} {Regex.Replace(e.RoutePattern.RawText!, @"\{(\w+):[^}]+\}", "{$1}")}"))
            .ToHashSet();

        Assert.That(mapped, Has.Count.GreaterThan(10));
        Assert.That(mapped.Except(documented), Is.Empty, "mapped but not documented");
        Assert.That(documented.Except(mapped), Is.Empty, "documented but not mapped");
    }
}
