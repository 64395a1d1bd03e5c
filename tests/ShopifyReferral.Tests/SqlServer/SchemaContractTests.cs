using ShopifyReferral.Data;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.SqlServer;

/// <summary>
/// The schema contract: every table column the app reads has, in every provider's migrations, the type family of
/// the C# type it is read into (for a constructor, the reader's exact type). Columns are traced from the SQL
/// Server text of each read, found as <see cref="SqlServerStatementTests"/> finds them.
/// </summary>
[Category(Infrastructure.TestProvider.EachProvider)]
public class SchemaContractTests
{
    /// <summary>The real server's catalog, when SHOPIFYREFERRAL_SQLSERVER names one (skipped otherwise).</summary>
    private static readonly SchemaSource SqlServerLive = SchemaSource.InformationSchema("SqlServer (live)", async () =>
    {
        var database = TestDatabase.Create(DatabaseProvider.SqlServer);
        await database.Migrator().MigrateAsync();
        return (await database.Db().OpenAsync(), database);
    }, "SCHEMA_NAME()");

    /// <summary>PostgreSQL's catalog, when SHOPIFYREFERRAL_POSTGRES names a server (skipped otherwise).</summary>
    private static readonly SchemaSource PostgreSqlLive = SchemaSource.InformationSchema("PostgreSql (live)", async () =>
    {
        var database = TestDatabase.Create(DatabaseProvider.PostgreSql);
        await database.Migrator().MigrateAsync();
        return (await database.Db().OpenAsync(), database);
    }, "current_schema()");

    /// <summary>Each provider whose schema must agree with the C# types: a new provider is one line here.</summary>
    private static readonly SchemaSource[] Sources =
    [
        SchemaSource.SqlServerMigrations,
        SchemaSource.SqliteCatalog,
        SqlServerLive,
        PostgreSqlLive,
    ];

    private static IEnumerable<string> Providers() => Sources.Select(s => s.Name);

    private static readonly Lazy<Schema> Tracing = new(SchemaSource.ReadSqlServerDdl);

    private static readonly Lazy<(List<ColumnRead> Reads, List<string> Problems)> Reads =
        new(() => ColumnReads.Of(SqlServerStatementTests.Statements, Tracing.Value));

    [TestCaseSource(nameof(Providers))]
    public async Task ReadColumns_HaveTheTypeFamilyOfTheirCSharpType(string provider)
    {
        var schema = await Sources.Single(s => s.Name == provider).Load();
        var mismatches = new List<string>();
        foreach (var read in Reads.Value.Reads)
        {
            var column = schema.Find(read.Table, read.Column);
            var member = Schema.FamilyOf(read.Type);
            if (column is null)
                mismatches.Add($"{read}: {schema.Provider} has no column {read.Table}.{read.Column}");
            else if (member is { } family && !Schema.Fits(column.Family, family, read.ThroughConstructor))
                mismatches.Add($"{read}: {schema.Provider} declares {column.DeclaredType} ({column.Family}), C# reads {family}" +
                               (read.ThroughConstructor ? " through a constructor, which needs the reader's exact type" : ""));
        }
        Assert.That(mismatches.Distinct(), Is.Empty);
    }

    [Test]
    public void ReadColumns_AreFoundForEveryRead()
    {
        Assert.That(Reads.Value.Problems, Is.Empty);
        // The claim is the one read every webhook goes through; a tracer that lost it would check nothing that matters.
        Assert.That(Reads.Value.Reads, Has.Some.Matches<ColumnRead>(r => r.Table == "webhook_inbox" && r.Column == "attempts" && r.Member.StartsWith("InboxRow", StringComparison.Ordinal)));
        Assert.That(Reads.Value.Reads.Select(r => $"{r.Table}.{r.Column}").Distinct().Count(), Is.GreaterThan(60));
    }

    [TestCase("INT", false, "long", false, false)]
    [TestCase("BIGINT", false, "long", true, true)]
    [TestCase("INTEGER", true, "long", true, true)]
    [TestCase("INTEGER", true, "int", true, false)]
    [TestCase("INTEGER", true, "int", false, true)]
    [TestCase("BIT", false, "bool", true, true)]
    [TestCase("SMALLINT", false, "bool", false, true)]
    [TestCase("SMALLINT", false, "long", false, false)]
    [TestCase("NVARCHAR", false, "long", false, false)]
    public void Fits_JudgesFamilies(string declared, bool sqlite, string csharp, bool throughConstructor, bool fits)
    {
        var member = csharp switch { "long" => TypeFamily.Int64, "int" => TypeFamily.Int32, _ => TypeFamily.Bool };
        Assert.That(Schema.Fits(Schema.FamilyOf(declared, sqlite), member, throughConstructor), Is.EqualTo(fits));
    }
}
