using Dapper;
using Microsoft.Data.SqlClient;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using ShopifyReferral.Data;

namespace ShopifyReferral.Tests.Infrastructure;

/// <summary>
/// A fresh, empty database of either provider. SQLite is a new file; SQL Server and PostgreSQL are a new
/// database on the server named by SHOPIFYREFERRAL_SQLSERVER or SHOPIFYREFERRAL_POSTGRES, dropped afterwards.
/// Without that variable the test is skipped with the reason, never passed silently.
/// </summary>
public sealed class TestDatabase : IDisposable
{
    public const string SqlServerVariable = "SHOPIFYREFERRAL_SQLSERVER";
    public const string PostgresVariable = "SHOPIFYREFERRAL_POSTGRES";

    private readonly string? _serverConnection;
    private readonly string? _databaseName;

    private TestDatabase(DatabaseProvider provider, string folder, string connectionString, string? serverConnection, string? databaseName)
    {
        Provider = provider;
        Folder = folder;
        ConnectionString = connectionString;
        _serverConnection = serverConnection;
        _databaseName = databaseName;
    }

    public DatabaseProvider Provider { get; }

    public string ConnectionString { get; }

    /// <summary>A fresh folder of the test's own: the SQLite file is here; instances sharing the database share its files (keys/).</summary>
    public string Folder { get; }

    /// <summary>The SQLite file; only SQLite has one.</summary>
    public string SqlitePath => Provider == DatabaseProvider.Sqlite
        ? new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(ConnectionString).DataSource
        : throw new InvalidOperationException($"A {Provider} database has no file.");

    /// <summary>A database of the provider this test run is on (<see cref="TestProvider.Current"/>).</summary>
    public static TestDatabase Create(string? folder = null) => Create(TestProvider.Current, folder);

    /// <summary>Skips the calling test (with the reason) now when its provider has no server, before it starts anything.</summary>
    public static void SkipUnlessAvailable()
    {
        if (TestProvider.Current == DatabaseProvider.PostgreSql) Server(PostgresVariable, "PostgreSQL");
        else if (TestProvider.Current == DatabaseProvider.SqlServer) Server(SqlServerVariable, "SQL Server");
    }

    /// <summary>
    /// A database of this run's provider with every migration applied, as the app leaves one at its first start: a
    /// copy of the run's <see cref="MigratedTemplate"/>. What a test app (<see cref="TestApp"/>, <see cref="ServingApp"/>)
    /// runs on unless given a database; the app's migrator then finds nothing to apply.
    /// </summary>
    public static TestDatabase CreateMigrated(string? folder = null) => Create(TestProvider.Current, folder, migrated: true);

    /// <param name="folder">Where the SQLite file (and the instances' shared files) go; a fresh temp folder by default.</param>
    /// <param name="migrated">Every migration applied (see <see cref="CreateMigrated"/>); empty by default.</param>
    public static TestDatabase Create(DatabaseProvider provider, string? folder = null, bool migrated = false)
    {
        folder ??= Repo.TempFolder();
        switch (provider)
        {
            case DatabaseProvider.Sqlite:
            {
                var file = Path.Combine(folder, "referral.db");
                if (migrated) File.Copy(MigratedTemplate.SqliteFile, file);
                return new(provider, folder, $"Data Source={file}", null, null);
            }
            case DatabaseProvider.SqlServer:
            {
                var server = Server(SqlServerVariable, "SQL Server");
                var name = NewName();
                using (var conn = new SqlConnection(server))
                    conn.Execute($"CREATE DATABASE [{name}]");
                var database = new TestDatabase(provider, folder, new SqlConnectionStringBuilder(server) { InitialCatalog = name }.ConnectionString, server, name);
                if (migrated) database.Migrator().MigrateAsync().GetAwaiter().GetResult();
                return database;
            }
            default:
            {
                var server = Server(PostgresVariable, "PostgreSQL");
                var name = NewName();
                using (var conn = new NpgsqlConnection(server))
                {
                    if (migrated) MigratedTemplate.CreatePostgreSqlCopy(conn, name);
                    else conn.Execute($"CREATE DATABASE {name}");
                }
                return new(provider, folder, new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString, server, name);
            }
        }
    }

    public Db Db() => new(Options.Create(new DatabaseOptions { Provider = Provider, ConnectionString = ConnectionString }));

    /// <summary>A connection of its own (SQLite without pooling, so the file is really reopened), for checking what the app stored.</summary>
    public System.Data.Common.DbConnection Open()
    {
        var conn = SqlDialect.For(Provider).CreateConnection(
            Provider == DatabaseProvider.Sqlite ? ConnectionString + ";Pooling=False" : ConnectionString);
        conn.Open();
        return conn;
    }

    public Migrator Migrator() => new(Db(), TimeProvider.System, NullLogger<Migrator>.Instance);

    /// <summary>The settings that point the app at this database (configuration keys, or environment names with <c>__</c>).</summary>
    public Dictionary<string, string> Settings(string separator = ":") => new()
    {
        [$"Database{separator}Provider"] = Provider.ToString(),
        [$"ConnectionStrings{separator}Referral"] = ConnectionString,
    };

    public void Dispose()
    {
        if (_serverConnection is null) return;
        if (Provider == DatabaseProvider.SqlServer)
        {
            SqlConnection.ClearAllPools();
            using var conn = new SqlConnection(_serverConnection);
            // Azure SQL Database (engine edition 5) has no SINGLE_USER; its pools are cleared above, so DROP is enough.
            conn.Execute($"""
                IF SERVERPROPERTY('EngineEdition') <> 5 EXEC('ALTER DATABASE [{_databaseName}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE');
                DROP DATABASE [{_databaseName}];
                """);
        }
        else
        {
            using (var pooled = new NpgsqlConnection(ConnectionString)) NpgsqlConnection.ClearPool(pooled);
            // The next test need not wait while the server unlinks the database's files (~0.1 s): the drop runs
            // meanwhile, and the run's end waits for every one (TestRun).
            var (server, name) = (_serverConnection, _databaseName);
            var drop = Task.Run(() =>
            {
                using var conn = new NpgsqlConnection(server);
                conn.Execute($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
            });
            lock (Drops) Drops.Add(drop);
        }
    }

    private static readonly List<Task> Drops = [];

    /// <summary>Waits for every database drop still running; a drop that failed fails the run here.</summary>
    internal static void WaitForDrops()
    {
        Task[] drops;
        lock (Drops) drops = [.. Drops];
        Task.WaitAll(drops);
    }

    private static string Server(string variable, string what)
    {
        var server = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(server))
            Assert.Ignore(variable == PostgresVariable
                ? $"PostgreSQL tests need a server: set {PostgresVariable} to a connection string such as "
                  + "\"Host=/tmp/folder;Username=shopifyreferral;Database=postgres\"; eval \"$(bash tools/pg-start.sh)\" starts a throwaway one "
                  + "(the tests create and drop their own database)."
                : $"{what} tests need a server: set {variable} to a connection string such as "
                  + "\"Server=localhost;User Id=sa;Password=...;TrustServerCertificate=true\" (the tests create and drop their own database).");
        return server!;
    }

    private static string NewName() => "shopifyreferral_test_" + Guid.NewGuid().ToString("N")[..12];
}
