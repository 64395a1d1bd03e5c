using System.Text.RegularExpressions;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.Data;

/// <summary>
/// Shared SQL runs on SQLite, SQL Server and PostgreSQL. A few spellings work on SQLite but not on the others; they
/// belong in the dialect files (Data/Dialects/). This reads the app's and the tests' sources, so the mistake shows on
/// the first (SQLite) test run, before a PostgreSQL run fails on it.
/// </summary>
[Category(TestProvider.NoDatabase)]
public partial class SharedSqlTests
{
    private static IEnumerable<TestCaseData> Spellings()
    {
        yield return new TestCaseData(ListParameter(), "IN @list: Npgsql sends a list as one array; write db.Dialect.InList(column, \"@list\")")
            .SetArgDisplayNames("IN @list");
        yield return new TestCaseData(InsertOr(), "INSERT OR IGNORE/REPLACE is SQLite's; write INSERT ... SELECT ... WHERE NOT EXISTS, or a dialect statement")
            .SetArgDisplayNames("INSERT OR");
        yield return new TestCaseData(BlobLiteral(), "X'..' is a bit string on PostgreSQL; pass bytes as a parameter")
            .SetArgDisplayNames("X'..'");
    }

    [TestCaseSource(nameof(Spellings))]
    public void AppSql_AvoidsSpellingsOnlySqliteUnderstands(Regex spelling, string why)
    {
        var dialects = Repo.Path("src", "ShopifyReferral", "Data", "Dialects");
        var sqlServerChecks = Repo.Path("tests", "ShopifyReferral.Tests", "SqlServer"); // they parse SQL Server's own spelling
        var hits = new[] { Repo.Path("src", "ShopifyReferral"), Repo.Path("tests", "ShopifyReferral.Tests") }
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.StartsWith(dialects, StringComparison.Ordinal) && !f.StartsWith(sqlServerChecks, StringComparison.Ordinal) && !f.EndsWith(nameof(SharedSqlTests) + ".cs", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, i, line)))
            .Where(x => !x.line.TrimStart().StartsWith("//", StringComparison.Ordinal) && spelling.IsMatch(x.line))
            .Select(x => $"{Path.GetRelativePath(Repo.Root, x.f)}:{x.i + 1}: {x.line.Trim()}")
            .ToList();
        Assert.That(hits, Is.Empty, why);
    }

    [GeneratedRegex(@"\bIN\s+@\w", RegexOptions.IgnoreCase)]
    private static partial Regex ListParameter();

    [GeneratedRegex(@"\bINSERT\s+OR\s+(IGNORE|REPLACE)\b", RegexOptions.IgnoreCase)]
    private static partial Regex InsertOr();

    [GeneratedRegex(@"\bX'[0-9A-F]*'", RegexOptions.IgnoreCase)]
    private static partial Regex BlobLiteral();
}
