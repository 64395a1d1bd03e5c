using ShopifyReferral.Data;

namespace ShopifyReferral.Tests.Infrastructure;

/// <summary>
/// The database every test that touches one runs on: SQLite unless SHOPIFYREFERRAL_TEST_PROVIDER names another
/// provider. CI runs the suite once per provider (.ci/run); a second pass leaves out the categories below.
/// </summary>
public static class TestProvider
{
    public const string Variable = "SHOPIFYREFERRAL_TEST_PROVIDER";

    /// <summary>Touches no database: one pass is enough.</summary>
    public const string NoDatabase = "NoDatabase";

    /// <summary>About SQLite itself (its file, its WAL): nothing to run on another provider.</summary>
    public const string SqliteOnly = "SqliteOnly";

    /// <summary>
    /// Drives a page in Chromium. What a page shows does not depend on the provider, and the API calls behind it run on
    /// every provider in the API tests: one pass is enough.
    /// </summary>
    public const string Browser = "Browser";

    /// <summary>Runs each provider itself through fixture parameters: one pass is enough.</summary>
    public const string EachProvider = "EachProvider";

    public static DatabaseProvider Current { get; } = Parse(Environment.GetEnvironmentVariable(Variable));

    private static DatabaseProvider Parse(string? value) =>
        string.IsNullOrWhiteSpace(value) ? DatabaseProvider.Sqlite
        : Enum.TryParse<DatabaseProvider>(value, ignoreCase: true, out var p) ? p
        : throw new InvalidOperationException($"{Variable}={value}: expected Sqlite, SqlServer or PostgreSql.");
}
