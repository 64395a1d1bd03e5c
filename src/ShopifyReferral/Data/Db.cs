using System.Data.Common;
using Dapper;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace ShopifyReferral.Data;

/// <summary>Opens connections for the configured provider and knows the few statements that differ by provider.</summary>
public sealed class Db
{
    private readonly DatabaseOptions _options;
    private readonly string _sqlitePragmas;

    // Columns are snake_case, records PascalCase; set once for every use of Db, app or tool.
    static Db() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    public Db(IOptions<DatabaseOptions> options)
    {
        _options = options.Value;
        Dialect = _options.Provider == DatabaseProvider.SqlServer ? SqlDialect.SqlServer : SqlDialect.Sqlite;
        _sqlitePragmas = _options.Provider == DatabaseProvider.Sqlite ? $"PRAGMA synchronous={_options.WorkSynchronous}; PRAGMA foreign_keys=ON;" : "";
        if (_options.Provider == DatabaseProvider.Sqlite) EnsureSqliteFolder(_options.ConnectionString);
    }

    public DatabaseProvider Provider => _options.Provider;

    /// <summary>
    /// Most values one list parameter (<c>IN @ids</c>) may carry: Dapper sends each as its own parameter, and SQL
    /// Server takes at most 2,100 a statement (SQLite 32,766). Longer lists go in chunks of this size.
    /// </summary>
    public const int MaxListParameters = 1000;

    public SqlDialect Dialect { get; }

    /// <summary>
    /// The first @limit rows of an ordered SELECT, in the provider's syntax, so a list reads only what it returns
    /// (SQLite's LIMIT, SQL Server's TOP). The caller passes a <c>limit</c> parameter.
    /// </summary>
    public string FirstRows(string orderedSelect)
    {
        var sql = orderedSelect.Trim();
        if (Provider != DatabaseProvider.SqlServer) return sql + "\nLIMIT @limit";
        if (!sql.StartsWith("SELECT ", StringComparison.OrdinalIgnoreCase)) throw new ArgumentException("Expected a SELECT.", nameof(orderedSelect));
        return "SELECT TOP (@limit) " + sql["SELECT ".Length..];
    }

    /// <summary>The synchronous level for commits that answer a webhook with 200 (SQLite).</summary>
    public string IntakeSynchronous => _options.Synchronous;

    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        DbConnection conn = _options.Provider == DatabaseProvider.SqlServer
            ? new SqlConnection(_options.ConnectionString)
            : new SqliteConnection(_options.ConnectionString);
        try
        {
            await conn.OpenAsync(ct);
            if (conn is SqliteConnection) await conn.ExecuteAsync(_sqlitePragmas);
            return conn;
        }
        catch
        {
            await conn.DisposeAsync();
            throw;
        }
    }

    public async Task<bool> CanConnectAsync(CancellationToken ct)
    {
        try
        {
            await using var conn = await OpenAsync(ct);
            return await conn.ExecuteScalarAsync<int>("SELECT 1") == 1;
        }
        catch (DbException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static void EnsureSqliteFolder(string connectionString)
    {
        var path = new SqliteConnectionStringBuilder(connectionString).DataSource;
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder) && path != ":memory:") Directory.CreateDirectory(folder);
    }
}
