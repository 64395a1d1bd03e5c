using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace ShopifyReferral.Data;

/// <summary>Opens connections for the configured provider and knows the few statements that differ by provider.</summary>
public sealed class Db
{
    private readonly DatabaseOptions _options;
    private readonly SqliteSessions? _sqlite;

    // Columns are snake_case, records PascalCase; flags are 0/1 integers on every provider (see FlagHandler).
    // Set once for every use of Db, app or tool.
    static Db()
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        FlagHandler.Register();
    }

    public Db(IOptions<DatabaseOptions> options)
    {
        _options = options.Value;
        Dialect = SqlDialect.For(_options.Provider);
        _sqlite = _options.Provider == DatabaseProvider.Sqlite ? new SqliteSessions(_options.WorkSynchronous, _options.Synchronous) : null;
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
    /// (LIMIT, or SQL Server's TOP). The caller passes a <c>limit</c> parameter.
    /// </summary>
    public string FirstRows(string orderedSelect) => Dialect.FirstRows(orderedSelect);

    public Task<DbConnection> OpenAsync(CancellationToken ct = default) => OpenAsync(SqliteUse.Work, ct);

    /// <summary>
    /// A connection for <paramref name="use"/>; the use only matters on SQLite (its synchronous level). Inside a
    /// <see cref="UnitOfWork"/> of this database, work gets the unit's connection, so it joins the unit's transaction.
    /// </summary>
    public async Task<DbConnection> OpenAsync(SqliteUse use, CancellationToken ct = default)
    {
        if (use == SqliteUse.Work && UnitOfWork.Current is { } unit && unit.Owner == this) return unit.Shared;
        return await OpenOwnAsync(use, ct);
    }

    private async Task<DbConnection> OpenOwnAsync(SqliteUse use, CancellationToken ct)
    {
        var conn = Dialect.CreateConnection(_options.ConnectionString);
        try
        {
            await conn.OpenAsync(ct);
            if (conn is SqliteConnection sqlite && _sqlite!.PragmasFor(sqlite, use) is { } pragmas)
            {
                try
                {
                    await conn.ExecuteAsync(pragmas);
                }
                catch
                {
                    _sqlite.Forget(sqlite);
                    throw;
                }
            }
            return conn;
        }
        catch
        {
            await conn.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Opens a connection and begins the transaction of a <see cref="UnitOfWork"/> on it; the caller enters it. On
    /// SQLite the transaction is IMMEDIATE (Microsoft.Data.Sqlite's default), so it never fails to upgrade to a writer.
    /// </summary>
    public async Task<UnitOfWork> BeginUnitOfWorkAsync(CancellationToken ct = default) =>
        await UnitOfWork.BeginAsync(this, await OpenOwnAsync(SqliteUse.Work, ct), ct);

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
