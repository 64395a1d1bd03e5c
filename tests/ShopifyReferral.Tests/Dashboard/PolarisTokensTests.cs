using System.Text.Json;
using System.Text.RegularExpressions;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.Dashboard;

/// <summary>
/// The committed polaris-tokens.css (tools/polaris-tokens.mjs, run by `npm run build`) against its sources: every
/// var(--p-…) the dashboard's CSS uses is defined, and each value is the installed @shopify/polaris-tokens' own
/// (read from the package's CSS build, dist/css/styles.css, not from the script's reading of it).
/// </summary>
public partial class PolarisTokensTests
{
    private static string PageFolder => Repo.Path("src", "ShopifyReferral", "Dashboard", "Page");
    private static string Generated => Path.Combine(PageFolder, "polaris-tokens.css");
    private static string Package => Repo.Path("node_modules", "@shopify", "polaris-tokens");

    [GeneratedRegex(@"(--p-[a-z0-9-]+)\s*:\s*([^;{}]+);")]
    private static partial Regex Declaration();

    [GeneratedRegex(@"^var\((--p-[a-z0-9-]+)\)$")]
    private static partial Regex Alias();

    [GeneratedRegex(@"var\((--p-[a-z0-9-]+)")]
    private static partial Regex Use();

    private static Dictionary<string, string> Declarations(string css) =>
        Declaration().Matches(css).GroupBy(m => m.Groups[1].Value).ToDictionary(g => g.Key, g => g.First().Groups[2].Value.Trim());

    [Test]
    public void EveryTokenThePageUses_IsInTheGeneratedFile_AndNoOther()
    {
        var used = Directory.GetFiles(PageFolder, "*.css").Where(f => f != Generated)
            .SelectMany(f => Use().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value)).ToHashSet();
        var generated = Declarations(File.ReadAllText(Generated));
        Assert.That(used, Is.Not.Empty);
        Assert.That(generated.Keys, Is.EquivalentTo(used), "run `npm run build` after changing the dashboard's CSS");
    }

    [Test]
    public void GeneratedValues_AreThoseOfTheInstalledPackage()
    {
        if (!File.Exists(Path.Combine(Package, "dist", "css", "styles.css")))
            Assert.Ignore("node_modules/@shopify/polaris-tokens is not installed (run `npm ci`): nothing to compare the generated file with.");
        var version = JsonDocument.Parse(File.ReadAllText(Path.Combine(Package, "package.json"))).RootElement.GetProperty("version").GetString();
        var text = File.ReadAllText(Generated);
        Assert.That(text, Does.Contain($"@shopify/polaris-tokens {version}:"), "generated from another version: run `npm run build`");

        // The package's first rule is the default (light) theme, :root,.p-theme-light{…}.
        var styles = File.ReadAllText(Path.Combine(Package, "dist", "css", "styles.css"));
        // Aliases there name other tokens (var(--p-font-line-height-500)); the generated file has their values.
        var light = Declarations(styles[..styles.IndexOf('}')]);
        string Resolve(string value) => Alias().Match(value) is { Success: true } m && light.TryGetValue(m.Groups[1].Value, out var v) ? Resolve(v) : value;
        foreach (var (name, value) in Declarations(text))
        {
            Assert.That(light, Does.ContainKey(name), $"{name} is not a Polaris {version} token");
            Assert.That(value, Is.EqualTo(Resolve(light[name])), $"{name} is stale: run `npm run build`");
        }
    }
}
