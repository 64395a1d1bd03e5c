using System.Text.RegularExpressions;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.Architecture;

/// <summary>
/// How the house is laid out, read from its source: each table has one folder (room) that writes it, the others ask
/// that room; one worker host runs everything in the background. Statements the dialects spell (Data/Dialects) count
/// for no room: the room that sends them is the one that calls the dialect property.
/// </summary>
public partial class RoomsTests
{
    private static readonly string App = Repo.Path("src", "ShopifyReferral");

    private static IEnumerable<(string Folder, string File, string Text)> Sources() =>
        Directory.EnumerateFiles(App, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Select(f => (Path.GetRelativePath(App, f).Split(Path.DirectorySeparatorChar) is var parts && parts.Length > 1 ? parts[0] : "", f, File.ReadAllText(f)));

    private static HashSet<string> Tables() =>
        Directory.EnumerateFiles(Path.Combine(App, "Data", "Migrations", "Sqlite"), "*.sql")
            .SelectMany(f => CreateTable().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"CREATE TABLE (?:IF NOT EXISTS )?([a-z_]+)")]
    private static partial Regex CreateTable();

    [GeneratedRegex(@"\b(?:INSERT INTO|UPDATE|DELETE FROM|MERGE)\s+([a-z_]+)")]
    private static partial Regex Write();

    [Test]
    public void EveryTable_IsWrittenByOneRoom()
    {
        var tables = Tables();
        Assert.That(tables, Does.Contain("jobs").And.Contain("referrals"), "the migrations were read");
        var writers = Sources()
            .Where(s => !s.File.Contains($"{Path.DirectorySeparatorChar}Dialects{Path.DirectorySeparatorChar}") && !s.File.EndsWith("SqlDialect.cs", StringComparison.Ordinal))
            .SelectMany(s => Write().Matches(s.Text).Select(m => (Table: m.Groups[1].Value, s.Folder, File: Path.GetFileName(s.File))))
            .Where(w => tables.Contains(w.Table))
            .GroupBy(w => w.Table)
            .ToDictionary(g => g.Key, g => g.Select(w => w.Folder).Distinct().Order().ToList());
        var shared = writers.Where(w => w.Value.Count > 1).Select(w => $"{w.Key}: {string.Join(", ", w.Value)}").ToList();
        Assert.That(shared, Is.Empty, "tables written from more than one folder");
        Assert.That(writers["referrals"], Is.EqualTo(new[] { "Referrals" }));
        Assert.That(writers["rewards"], Is.EqualTo(new[] { "Rewards" }));
        Assert.That(writers["jobs"], Is.EqualTo(new[] { "Jobs" }));
    }

    [Test]
    public void OneWorkerHost_RunsEverythingInTheBackground()
    {
        var hosts = Sources().Where(s => Regex.IsMatch(s.Text, @":\s*BackgroundService\b")).Select(s => Path.GetRelativePath(App, s.File)).ToList();
        Assert.That(hosts, Is.EqualTo(new[] { Path.Combine("Jobs", "Workers.cs") }));
        var hosted = Sources().Where(s => s.Text.Contains("AddHostedService")).SelectMany(s => Regex.Matches(s.Text, @"AddHostedService[^;]*;").Select(m => m.Value)).ToList();
        Assert.That(hosted, Has.Count.EqualTo(2), string.Join("\n", hosted)); // the inbox writer (intake) and the worker host
    }
}
