using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using ShopifyReferral.Data;

namespace ShopifyReferral.Tests.Infrastructure;

/// <summary>
/// One database per test run with every migration applied, which <see cref="TestDatabase.CreateMigrated"/> copies:
/// PostgreSQL creates the test's database from it as a TEMPLATE (a copy of its files on the server, milliseconds),
/// SQLite copies its file. Applying every script to every test's database cost the PostgreSQL pass about 0.4 s a
/// test. The scripts still run for real: here once a run through the app's <see cref="Migrator"/>, and on empty
/// databases in the tests about migrating (StorageTests, MoneyMigrationTests, StartupMigrationTests).
/// </summary>
internal static class MigratedTemplate
{
    private static readonly Lazy<string> PostgreSql = new(CreatePostgreSql);
    private static readonly Lazy<string> Sqlite = new(CreateSqlite);

    /// <summary>
    /// Creates database <paramref name="name"/> as a copy of the migrated template (made on first use). FILE_COPY
    /// copies the template's files: ~30 ms, where PostgreSQL 15's default (WAL_LOG, block by block through the WAL)
    /// took 0.2 to 1.5 s for its 600 relations. Before 15 FILE_COPY was the only way, and the option did not exist.
    /// </summary>
    public static void CreatePostgreSqlCopy(NpgsqlConnection server, string name)
    {
        var strategy = server.ExecuteScalar<int>("SELECT current_setting('server_version_num')::int") >= 150000 ? " STRATEGY FILE_COPY" : "";
        server.Execute($"CREATE DATABASE {name} TEMPLATE {PostgreSql.Value}{strategy}");
    }

    /// <summary>The migrated SQLite file to copy (made on first use).</summary>
    public static string SqliteFile => Sqlite.Value;

    private static string Server => Environment.GetEnvironmentVariable(TestDatabase.PostgresVariable)
        ?? throw new InvalidOperationException($"{TestDatabase.PostgresVariable} is not set.");

    private static string CreatePostgreSql()
    {
        var server = Server;
        var name = "shopifyreferral_template_" + Guid.NewGuid().ToString("N")[..12];
        using (var conn = new NpgsqlConnection(server)) conn.Execute($"CREATE DATABASE {name}");
        // Without pooling, no connection to the template outlives the migration: CREATE DATABASE … TEMPLATE
        // refuses a source database anyone is connected to.
        var connection = new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = false }.ConnectionString;
        Migrate(DatabaseProvider.PostgreSql, connection);
        // And none can connect later by mistake (a test's stray query would make every later copy fail).
        using (var conn = new NpgsqlConnection(server)) conn.Execute($"ALTER DATABASE {name} WITH ALLOW_CONNECTIONS false");
        return name;
    }

    private static string CreateSqlite()
    {
        var file = Path.Combine(Repo.TempFolder(), "referral.db");
        // Without pooling the migrator's connection really closes, which checkpoints the WAL into the file: the
        // file alone is the whole database (and keeps journal_mode=WAL, a property of the file).
        Migrate(DatabaseProvider.Sqlite, $"Data Source={file};Pooling=False");
        if (File.Exists(file + "-wal")) throw new InvalidOperationException($"The SQLite template {file} still has a WAL file.");
        return file;
    }

    private static void Migrate(DatabaseProvider provider, string connectionString)
    {
        var db = new Db(Options.Create(new DatabaseOptions { Provider = provider, ConnectionString = connectionString }));
        new Migrator(db, TimeProvider.System, NullLogger<Migrator>.Instance).MigrateAsync().GetAwaiter().GetResult();
    }

    /// <summary>Drops what this run made (<see cref="TestRun"/> calls it once every test is done).</summary>
    public static void Drop()
    {
        TestDatabase.WaitForDrops();
        if (PostgreSql.IsValueCreated)
        {
            using var conn = new NpgsqlConnection(Server);
            conn.Execute($"DROP DATABASE IF EXISTS {PostgreSql.Value}");
        }
        if (Sqlite.IsValueCreated) Directory.Delete(Path.GetDirectoryName(Sqlite.Value)!, recursive: true);
    }
}
