using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.Dashboard;

/// <summary>
/// The OpenAPI document is generated from the mapped endpoints: every /api and /extensions route is in it with its
/// responses and the bearer scheme, nothing else is, and docs/openapi.v1.json (checked in) is the same document, so a
/// change to the API shows in review. Refresh the copy with SHOPIFYREFERRAL_UPDATE_OPENAPI=1.
/// </summary>
public class OpenApiTests
{
    private static readonly string Snapshot = Repo.Path("docs", "openapi.v1.json");

    private static async Task<(TestApp App, string Json)> DocumentAsync()
    {
        var app = new TestApp(new() { ["Webhooks:Workers"] = "0", ["Referrals:Background"] = "false" });
        var response = await app.CreateClient().GetAsync("/openapi/v1.json");
        Assert.That((int)response.StatusCode, Is.EqualTo(200), "served without a session token");
        return (app, await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task OpenApiDocument_CoversEveryMappedApiAndExtensionRoute_WithResponses()
    {
        var (app, json) = await DocumentAsync();
        using var _ = app;
        using var doc = JsonDocument.Parse(json);
        Assert.That(doc.RootElement.GetProperty("openapi").GetString(), Does.StartWith("3."));
        var operations = doc.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Where(m => m.Name != "parameters").Select(m => (Key: $"{m.Name.ToUpperInvariant()} {p.Name}", Op: m.Value)))
            .ToDictionary(o => o.Key, o => o.Op);

        var mapped = app.Service<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } t && (t.StartsWith("/api/", StringComparison.Ordinal) || t.StartsWith("/extensions/", StringComparison.Ordinal))
                        && t != "/api/openapi.json")
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => $"{m} {Regex.Replace(e.RoutePattern.RawText!.TrimEnd('/'), @"\{(\w+):[^}]+\}", "{$1}")}"))
            .ToHashSet();

        Assert.That(mapped, Has.Count.GreaterThan(30));
        Assert.That(mapped.Except(operations.Keys), Is.Empty, "mapped but not documented");
        Assert.That(operations.Keys.Except(mapped), Is.Empty, "documented but not mapped");
        Assert.Multiple(() =>
        {
            foreach (var (key, op) in operations)
            {
                var responses = op.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToList();
                Assert.That(responses, Has.Some.Matches<string>(r => r.StartsWith('2')), $"{key}: a success response");
                Assert.That(responses, Does.Contain("401"), $"{key}: the 401 of a missing or refused session token");
                Assert.That(op.GetProperty("security").GetArrayLength(), Is.EqualTo(1), $"{key}: the bearer scheme");
                Assert.That(op.GetProperty("tags").GetArrayLength(), Is.EqualTo(1), $"{key}: grouped by its resource");
            }
        });
        var scheme = doc.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("sessionToken");
        Assert.That(scheme.GetProperty("scheme").GetString(), Is.EqualTo("bearer"));
    }

    [Test]
    public async Task TheOldAddress_LeadsToTheGeneratedDocument()
    {
        using var app = new TestApp(new() { ["Webhooks:Workers"] = "0", ["Referrals:Background"] = "false" });
        using var doc = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/api/openapi.json"));
        Assert.That(doc.RootElement.GetProperty("paths").TryGetProperty("/api/referrers/{id}", out _));
    }

    [Test]
    public async Task CheckedInCopy_IsTheGeneratedDocument()
    {
        var (app, json) = await DocumentAsync();
        app.Dispose();
        var generated = Normalise(json);
        if (Environment.GetEnvironmentVariable("SHOPIFYREFERRAL_UPDATE_OPENAPI") == "1") await File.WriteAllTextAsync(Snapshot, generated);
        Assert.That(File.Exists(Snapshot), $"{Snapshot} is missing: run the tests once with SHOPIFYREFERRAL_UPDATE_OPENAPI=1");
        Assert.That(Normalise(await File.ReadAllTextAsync(Snapshot)), Is.EqualTo(generated),
            "The API changed: review the difference, then refresh docs/openapi.v1.json with SHOPIFYREFERRAL_UPDATE_OPENAPI=1 dotnet test --filter OpenApiTests");
    }

    // Indented, LF line ends, whatever the server wrote, so the copy diffs readably.
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static string Normalise(string json) =>
        JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement, Indented).Replace("\r\n", "\n") + "\n";
}
