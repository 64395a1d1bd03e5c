using System.Text.RegularExpressions;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.Architecture;

/// <summary>
/// The repository explains itself: comments point to its own docs (a file and heading that exist), never to notes that
/// live outside it, which a reader of a clone does not have.
/// </summary>
[Category(TestProvider.NoDatabase)]
public partial class RepoExplainsItselfTests
{
    private static readonly string[] Extensions = [".cs", ".ts", ".tsx", ".js", ".json", ".toml", ".sql", ".graphql", ".csproj", ".props", ".sh", ".md"];

    private static IEnumerable<(string Path, string Text)> Sources()
    {
        var self = Path.GetFullPath(Repo.Path("tests", "ShopifyReferral.Tests", "Architecture", "RepoExplainsItselfTests.cs"));
        var skipped = new[] { "bin", "obj", "node_modules", "dist" };
        return new[] { "src", "tests", "extensions" }
            .SelectMany(root => Directory.EnumerateFiles(Repo.Path(root), "*", SearchOption.AllDirectories))
            .Where(f => Extensions.Contains(Path.GetExtension(f)) && Path.GetFullPath(f) != self)
            .Where(f => !Path.GetRelativePath(Repo.Root, f).Split(Path.DirectorySeparatorChar).Intersect(skipped).Any())
            .Select(f => (Path.GetRelativePath(Repo.Root, f), File.ReadAllText(f)));
    }

    [Test]
    public void NoSource_PointsOutsideTheRepository()
    {
        var sources = Sources().ToList();
        Assert.That(sources.Select(s => s.Path), Has.Some.EndsWith("ShopDomain.cs").And.Some.EndsWith("ThankYou.tsx"), "the sources were read");
        var found = new List<string>();
        foreach (var (path, text) in sources)
        {
            foreach (Match m in Outside().Matches(text)) found.Add($"{path}: \"{m.Value}\"");
            // A relative path to a shared/ folder is fine inside the repo (extensions/shared), not beside it.
            foreach (Match m in RelativeShared().Matches(text))
            {
                var target = Path.GetFullPath(Path.Combine(Repo.Root, Path.GetDirectoryName(path)!, m.Value));
                if (!target.StartsWith(Repo.Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                    found.Add($"{path}: \"{m.Value}\" leaves the repository");
            }
        }
        Assert.That(found, Is.Empty, "state the fact in the comment or point to docs/ (docs/shopify-facts.md#heading)");
    }

    [Test]
    public void EveryDocsReference_NamesAFileAndHeadingThatExist()
    {
        var references = Sources().SelectMany(s => DocsReference().Matches(s.Text).Select(m => (s.Path, File: m.Groups[1].Value, Anchor: m.Groups[2].Value))).ToList();
        Assert.That(references.Select(r => r.Anchor), Has.Member("webhook-signatures"), "the references were found");
        var broken = new List<string>();
        foreach (var (path, file, anchor) in references)
        {
            var doc = Repo.Path("docs", file);
            if (!File.Exists(doc)) { broken.Add($"{path}: docs/{file} does not exist"); continue; }
            if (anchor.Length > 0 && !Anchors(doc).Contains(anchor)) broken.Add($"{path}: docs/{file} has no heading #{anchor}");
        }
        Assert.That(broken, Is.Empty);
    }

    [Test]
    public void Anchors_AreSpelledAsGitHubSpellsThem()
    {
        var doc = Path.Combine(Repo.TempFolder(), "a.md");
        File.WriteAllLines(doc, ["# Title", "## Webhook retries", "### Install, tokens and `re-auth`", "not a heading", "```", "## In a fence", "```"]);
        Assert.That(Anchors(doc), Is.EquivalentTo(new[] { "title", "webhook-retries", "install-tokens-and-re-auth" }));
    }

    /// <summary>Heading anchors as GitHub makes them: lower case, punctuation dropped, spaces to hyphens.</summary>
    private static HashSet<string> Anchors(string markdown)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var fenced = false;
        foreach (var line in File.ReadLines(markdown))
        {
            if (line.StartsWith("```", StringComparison.Ordinal)) fenced = !fenced;
            if (fenced || Heading().Match(line) is not { Success: true } h) continue;
            anchors.Add(Punctuation().Replace(h.Groups[1].Value.Trim().ToLowerInvariant(), "").Replace(' ', '-'));
        }
        return anchors;
    }

    [GeneratedRegex(@"shopify-facts(?:\.md)?\s*§|shopify-facts(?:\.md)?\s+\d|facts\s+\d+\.\d|landscape\.md|style\.md|/work/shared|(?<!RFC \d{1,5} )§\s?\d")]
    private static partial Regex Outside();

    [GeneratedRegex(@"(?:\.\./)+shared\b")]
    private static partial Regex RelativeShared();

    [GeneratedRegex(@"(?<![\w./-])docs/([\w./-]+\.md)(?:#([\w-]+))?")]
    private static partial Regex DocsReference();

    [GeneratedRegex(@"^#{1,6}\s+(.+)$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"[^\w\- ]")]
    private static partial Regex Punctuation();
}
