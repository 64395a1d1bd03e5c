using Microsoft.SqlServer.TransactSql.ScriptDom;
using ShopifyReferral.Data;

namespace ShopifyReferral.Tests.SqlServer;

/// <summary>
/// SQL Server cannot run here, so every statement the app would send it is parsed as SQL Server parses it:
/// the migrations, every dialect statement, and every inline statement reached when the provider is SqlServer.
/// </summary>
[Category(Infrastructure.TestProvider.NoDatabase)]
public class SqlServerStatementTests
{
    /// <summary>The only SQL the app builds from run-time values, with the values those can take.</summary>
    internal static readonly Dictionary<string, Func<IEnumerable<string>>> RunTimeValues = new()
    {
        // The migrator sends each script of Data/Migrations/SqlServer in turn.
        ["Migrator.cs:sql"] = () => Migrator.Scripts(DatabaseProvider.SqlServer).Select(s => s.Sql),
        // shop/redact deletes from each table the catalog says has a shop column.
        ["Redactor.cs:table"] = () => SchemaSource.ReadSqlServerDdl().Columns.Where(c => c.Name == "shop").Select(c => c.Table).Distinct(),
    };

    private static readonly Lazy<AppStatements> Found = new(() => AppStatements.Find(RunTimeValues));

    internal static IReadOnlyList<AppStatement> Statements => Found.Value.Statements;

    [Test]
    public void AppSql_EveryStatementIsFollowedToItsText()
    {
        Assert.That(Found.Value.Problems, Is.Empty);
    }

    [Test]
    public void AppSql_FindsTheStatementsOfEveryFeature()
    {
        // A collector that silently found nothing would pass every other test here.
        var files = Statements.Select(s => s.Where.Split(':')[0]).ToHashSet();
        Assert.That(files, Is.SupersetOf(new[]
        {
            "InboxStore.cs", "ReferralEngine.cs", "ReferralStore.cs", "ReferralsApi.cs", "RewardIssuer.cs", "Redactor.cs",
            "AnalyticsStore.cs", "ShopTokens.cs", "Migrator.cs", "StorefrontStore.cs",
        }));
        Assert.That(Statements, Has.Some.Matches<AppStatement>(s => s.Where.StartsWith("SqlDialect.SqlServer.", StringComparison.Ordinal)));
    }

    [Test]
    public void AppSql_ParsesAsSqlServer160WithoutReservedWords()
    {
        var failures = Statements
            .SelectMany(s => TSql.Problems(s.Sql).Select(p => $"{s.Where}: {p}\n{s.Sql.Trim()}\n"))
            .Distinct()
            .ToList();
        Assert.That(failures, Is.Empty, $"{failures.Count} of {Statements.Count} statements would fail on SQL Server");
    }

    [TestCaseSource(nameof(Migrations))]
    public void Migration_ParsesAsSqlServer160WithoutReservedWords(string name, string sql)
    {
        Assert.That(TSql.Problems(sql), Is.Empty, name);
    }

    private static IEnumerable<TestCaseData> Migrations() =>
        Migrator.Scripts(DatabaseProvider.SqlServer).Select(s => new TestCaseData(s.Name, s.Sql).SetArgDisplayNames(s.Name));

    [TestCase("SELECT rule FROM referral_checks", false)]
    [TestCase("INSERT INTO referral_checks (referral_id, rule) VALUES (@id, @rule)", false)]
    [TestCase("SELECT [rule] FROM referral_checks ORDER BY [rule]", true)]
    [TestCase("SELECT \"rule\" FROM referral_checks ORDER BY \"rule\"", true)]
    [TestCase("SELECT id FROM referrals WHERE id IN @ids", true)]
    [TestCase("SELECT id FROM referrals LIMIT 5", false)]
    public void Checker_JudgesTSql(string sql, bool accepted)
    {
        Assert.That(TSql.Problems(sql), accepted ? Is.Empty : Is.Not.Empty);
    }

    [Test]
    public void GroupCommitInsert_HoldsNoRangeLocks()
    {
        // The intake inserts a whole group commit in one transaction: a range lock (HOLDLOCK, SERIALIZABLE) on the
        // inbox's unique key would be held until that commit and deadlock against another instance's group.
        var script = TSql.Parse(SqlDialect.SqlServer.InsertInbox, out var errors);
        var hints = new HintCollector();
        script.Accept(hints);
        Assert.That(errors, Is.Empty);
        Assert.That(hints.Found, Has.None.AnyOf(TableHintKind.HoldLock, TableHintKind.Serializable));
    }

    [TestCase(-1, false)]
    [TestCase(-3, false)]
    [TestCase(-999, false)]
    [TestCase(0, true)]
    [TestCase(1, true)]
    public void MigrationLock_StatusBelowZero_StopsTheMigration(int status, bool migrates)
    {
        if (migrates) Assert.DoesNotThrow(() => Migrator.EnsureLocked(status));
        else Assert.That(() => Migrator.EnsureLocked(status), Throws.InvalidOperationException.With.Message.Contains($"returned {status}"));
    }

    private sealed class HintCollector : TSqlFragmentVisitor
    {
        public List<TableHintKind> Found { get; } = [];

        public override void Visit(TableHint node) => Found.Add(node.HintKind);
    }
}
