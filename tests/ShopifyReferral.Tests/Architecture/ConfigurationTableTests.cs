using System.Reflection;
using System.Text.RegularExpressions;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.Architecture;

/// <summary>
/// The README's configuration table lists every key the app and the dev host read: each settable property of an
/// options class bound to a section (found where it is bound, read by reflection) and each key read by name, and no
/// row names a key nothing reads.
/// </summary>
[Category(TestProvider.NoDatabase)]
public partial class ConfigurationTableTests
{
    private static readonly Assembly App = typeof(ShopifyReferral.Shopify.ShopifyOptions).Assembly;

    /// <summary>Bound properties the app sets from elsewhere, and the key that sets them.</summary>
    private static readonly Dictionary<string, string> SetElsewhere = new()
    {
        ["Database:ConnectionString"] = "ConnectionStrings:Referral",
    };

    private static List<(string File, string Text)> Sources() =>
        new[] { Repo.Path("src", "ShopifyReferral"), Repo.Path("src", "ShopifyReferral.DevHost") }
            .SelectMany(root => Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Select(f => (Path.GetRelativePath(Repo.Root, f), File.ReadAllText(f)))
            .ToList();

    private static HashSet<string> BoundKeys()
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (file, text) in Sources())
            foreach (Match m in Bound().Matches(text))
            {
                var type = App.GetTypes().Single(t => t.Name == m.Groups["type"].Value);
                var section = m.Groups["literal"].Success ? m.Groups["literal"].Value
                    : (string)App.GetTypes().Single(t => t.Name == m.Groups["holder"].Value).GetField("Section")!.GetRawConstantValue()!;
                foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true }))
                    keys.Add(SetElsewhere.GetValueOrDefault($"{section}:{p.Name}", $"{section}:{p.Name}"));
            }
        return keys;
    }

    private static HashSet<string> KeysReadByName()
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, text) in Sources())
        {
            foreach (Match m in ReadByName().Matches(text)) keys.Add(m.Groups[1].Value);
            foreach (Match m in ConnectionString().Matches(text)) keys.Add("ConnectionStrings:" + m.Groups[1].Value);
        }
        return keys;
    }

    private static HashSet<string> TableKeys()
    {
        var readme = File.ReadAllText(Repo.Path("README.md"));
        var section = readme[readme.IndexOf("\n## Configuration", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 4, StringComparison.Ordinal)];
        return section.Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal))
            .Select(l => l.Split('|')[1].Trim().Trim('`')).ToHashSet(StringComparer.Ordinal);
    }

    [Test]
    public void EveryBoundOptionProperty_HasARow()
    {
        var bound = BoundKeys();
        Assert.That(bound, Does.Contain("Jobs:ParkedRecheck").And.Contain("Webhooks:MaxGroupCommit").And.Contain("Shopify:ClientSecret")
            .And.Contain("Extensions:GuestOrderWindow").And.Contain("Storefront:IpHashSalt").And.Contain("ConnectionStrings:Referral"), "the bindings were found");
        Assert.That(bound.Except(TableKeys()).Order(), Is.Empty, "README.md's configuration table has no row for these");
    }

    [Test]
    public void EveryKeyReadByName_HasARow()
    {
        var read = KeysReadByName();
        Assert.That(read, Does.Contain("Privacy:PseudonymKey").And.Contain("Referrals:ReconcileEvery").And.Contain("Sandbox:Demo"), "the reads were found");
        Assert.That(read.Except(TableKeys()).Order(), Is.Empty, "README.md's configuration table has no row for these");
    }

    [Test]
    public void EveryRow_NamesAKeyThatIsRead()
    {
        var read = BoundKeys().Union(KeysReadByName()).ToHashSet();
        Assert.That(TableKeys().Except(read).Order(), Is.Empty, "README.md's configuration table lists keys nothing reads");
    }

    [GeneratedRegex(@"AddOptions<(?<type>\w+)>\(\)\s*\.Bind\(\w+\.GetSection\((?:""(?<literal>\w+)""|(?<holder>\w+)\.Section)\)\)")]
    private static partial Regex Bound();

    [GeneratedRegex(@"(?:\bconfig\w*\[|(?<!\w)GetValue(?:<[^>]+>)?\()""([A-Za-z]+(?::[A-Za-z]+)*)""")]
    private static partial Regex ReadByName();

    [GeneratedRegex(@"GetConnectionString\(""(\w+)""\)")]
    private static partial Regex ConnectionString();
}
