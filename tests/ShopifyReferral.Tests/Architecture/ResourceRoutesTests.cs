using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.Architecture;

/// <summary>
/// Issue 16's rule, read from the source and from the running app: the merchant API lives in Merchant/, one file per
/// resource, each file one tagged route group; a resource's first path segment under /api has one tag and one file;
/// Dashboard/ maps the page and its assets only.
/// </summary>
public partial class ResourceRoutesTests
{
    private static readonly string Merchant = Repo.Path("src", "ShopifyReferral", "Merchant");

    [GeneratedRegex("""MapGroup\("/([a-z-]+)"\)""")]
    private static partial Regex Group();

    [GeneratedRegex("""\.Map(?:Get|Post|Put|Delete|Patch|Methods)\("/api""")]
    private static partial Regex ApiRoute();

    [Test]
    public void EachResource_IsOneFileWithOneGroup()
    {
        var groups = Directory.EnumerateFiles(Merchant, "*.cs")
            .SelectMany(f => Group().Matches(File.ReadAllText(f)).Select(m => (Segment: m.Groups[1].Value, File: Path.GetFileName(f))))
            .Where(g => g.Segment != "api")
            .ToList();
        Assert.That(groups.Select(g => g.Segment), Does.Contain("referrers").And.Contain("referrals").And.Contain("analytics"));
        Assert.Multiple(() =>
        {
            foreach (var s in groups.GroupBy(g => g.Segment))
                Assert.That(s.Select(g => g.File).Distinct(), Has.Exactly(1).Items, $"/api/{s.Key} is mapped in one file");
            // The table of contents (MerchantApi.cs) may map the one-line /shop itself; every other file is one resource.
            foreach (var f in groups.Where(g => g.File != "MerchantApi.cs").GroupBy(g => g.File))
                Assert.That(f.Select(g => g.Segment).Distinct(), Has.Exactly(1).Items, $"{f.Key} maps one resource");
        });
        var elsewhere = Directory.EnumerateFiles(Repo.Path("src", "ShopifyReferral"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(Merchant, StringComparison.Ordinal) && !f.Contains("Operations") && ApiRoute().IsMatch(File.ReadAllText(f)));
        Assert.That(elsewhere, Is.Empty, "an /api route outside Merchant/");
    }

    [Test]
    public void EachApiSegment_HasOneTag()
    {
        using var app = new TestApp(new() { ["Webhooks:Workers"] = "0", ["Referrals:Background"] = "false" });
        var tags = app.Service<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } t && t.StartsWith("/api/", StringComparison.Ordinal) && t != "/api/openapi.json")
            .Select(e => (Segment: e.RoutePattern.RawText!.Split('/')[2], Tags: e.Metadata.GetMetadata<ITagsMetadata>()?.Tags ?? []))
            .ToList();
        Assert.That(tags, Has.Count.GreaterThan(20), "the routes were read");
        Assert.Multiple(() =>
        {
            foreach (var s in tags.GroupBy(t => t.Segment))
                Assert.That(s.SelectMany(t => t.Tags).Distinct(), Has.Exactly(1).Items, $"/api/{s.Key}/… carries one tag");
            foreach (var t in tags.SelectMany(t => t.Tags.Select(tag => (Tag: tag, t.Segment))).GroupBy(t => t.Tag))
                Assert.That(t.Select(x => x.Segment).Distinct(), Has.Exactly(1).Items, $"tag {t.Key} is one resource");
        });
    }
}
