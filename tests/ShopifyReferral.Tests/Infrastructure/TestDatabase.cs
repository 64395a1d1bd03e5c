using Dapper;
using Microsoft.Data.SqlClient;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ShopifyReferral.Data;

namespace ShopifyReferral.Tests.Infrastructure;

/// <summary>
/// A fresh, empty database of either provider. SQLite is a new file; SQL Server is a new database on the
/// server named by SHOPIFYREFERRAL_SQLSERVER, dropped afterwards. Without that variable SQL Server tests are
/// skipped with the reason, never passed silently.
/// </summary>
public sealed class TestDatabase : IDisposable
{
    public const string SqlServerVariable = "SHOPIFYREFERRAL_SQLSERVER";

    private readonly string? _serverConnection;
    private readonly string? _databaseName;

    private TestDatabase(DatabaseProvider provider, string connectionString, string? serverConnection, string? databaseName)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _serverConnection = serverConnection;
        _databaseName = databaseName;
    }

    public DatabaseProvider Provider { get; }

    public string ConnectionString { get; }

    public static TestDatabase Create(DatabaseProvider provider)
    {
        if (provider == DatabaseProvider.Sqlite)
            return new(provider, $"Data Source={Path.Combine(Repo.TempFolder(), "referral.db")}", null, null);

        var server = Environment.GetEnvironmentVariable(SqlServerVariable);
        if (string.IsNullOrWhiteSpace(server))
            Assert.Ignore($"SQL Server tests need a server: set {SqlServerVariable} to a connection string such as "
                + "\"Server=localhost;User Id=sa;Password=...;TrustServerCertificate=true\" (the tests create and drop their own database).");
        var name = "shopifyreferral_test_" + Guid.NewGuid().ToString("N")[..12];
        using (var conn = new SqlConnection(server))
            conn.Execute($"CREATE DATABASE [{name}]");
        var builder = new SqlConnectionStringBuilder(server) { InitialCatalog = name };
        return new(provider, builder.ConnectionString, server, name);
    }

    public Db Db() => new(Options.Create(new DatabaseOptions { Provider = Provider, ConnectionString = ConnectionString }));

    public Migrator Migrator() => new(Db(), TimeProvider.System, NullLogger<Migrator>.Instance);

    public void Dispose()
    {
        if (_serverConnection is null) return;
        SqlConnection.ClearAllPools();
        using var conn = new SqlConnection(_serverConnection);
        // Azure SQL Database (engine edition 5) has no SINGLE_USER; its pools are cleared above, so DROP is enough.
        conn.Execute($"""
            IF SERVERPROPERTY('EngineEdition') <> 5 EXEC('ALTER DATABASE [{_databaseName}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE');
            DROP DATABASE [{_databaseName}];
            """);
    }
}
