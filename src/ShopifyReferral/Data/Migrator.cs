using System.Data.Common;
using System.Reflection;
using Dapper;
using Microsoft.Data.Sqlite;

namespace ShopifyReferral.Data;

/// <summary>
/// Applies the versioned scripts under Data/Migrations/{Provider}/ in order and records each in
/// schema_version, all in one transaction. Several instances may start at once: SQLite serializes them with
/// BEGIN IMMEDIATE, SQL Server with an exclusive application lock, PostgreSQL with a transaction-scoped advisory
/// lock (the dialect's MigrationLock), and each re-reads the applied versions under that lock.
/// </summary>
public sealed class Migrator(Db db, TimeProvider time, ILogger<Migrator> log)
{
    public async Task MigrateAsync(CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        if (conn is SqliteConnection)
        {
            // WAL is a property of the file, so setting it once here covers every later connection.
            await conn.ExecuteAsync("PRAGMA journal_mode=WAL;");
        }
        await using var tx = conn is SqliteConnection sqlite
            ? sqlite.BeginTransaction(deferred: false)
            : await conn.BeginTransactionAsync(ct);
        if (db.Dialect.MigrationLock is not null) EnsureLocked(await conn.ExecuteScalarAsync<int>(db.Dialect.MigrationLock, transaction: tx));

        await conn.ExecuteAsync(db.Dialect.CreateSchemaVersionTable, transaction: tx);
        var applied = (await conn.QueryAsync<int>("SELECT version FROM schema_version", transaction: tx)).ToHashSet();
        foreach (var (version, name, sql) in Scripts(db.Provider))
        {
            if (applied.Contains(version)) continue;
            await conn.ExecuteAsync(sql, transaction: tx);
            await conn.ExecuteAsync(
                "INSERT INTO schema_version (version, name, applied_at) VALUES (@version, @name, @now)",
                new { version, name, now = time.GetUtcNow().ToUnixTimeMilliseconds() }, tx);
            log.LogInformation("Applied migration {Version} {Name}", version, name);
        }
        await tx.CommitAsync(ct);
    }

    /// <summary>The versions this build carries that the database has not applied (all of them before the first start).</summary>
    public async Task<IReadOnlyList<int>> PendingAsync(CancellationToken ct = default)
    {
        var all = Scripts(db.Provider).Select(s => s.Version).ToList();
        HashSet<int> applied;
        try
        {
            await using var conn = await db.OpenAsync(ct);
            applied = (await conn.QueryAsync<int>("SELECT version FROM schema_version")).ToHashSet();
        }
        catch (DbException)
        {
            return all; // no schema_version table yet (or no database: the database check says which)
        }
        return all.Where(v => !applied.Contains(v)).ToList();
    }

    /// <summary>
    /// sp_getapplock reports failure in its return status, not as an error: below 0 the lock was not taken (-1 timed
    /// out, -2 cancelled, -3 chosen as a deadlock victim, -999 a bad call), and migrating anyway could race another instance.
    /// </summary>
    internal static void EnsureLocked(int status)
    {
        if (status < 0)
            throw new InvalidOperationException($"Could not take the migration lock within 60 s (sp_getapplock returned {status}); another instance may be migrating. Start again.");
    }

    internal static IEnumerable<(int Version, string Name, string Sql)> Scripts(DatabaseProvider provider)
    {
        var asm = Assembly.GetExecutingAssembly();
        var prefix = $"ShopifyReferral.Data.Migrations.{provider}.";
        foreach (var resource in asm.GetManifestResourceNames().Where(r => r.StartsWith(prefix)).Order(StringComparer.Ordinal))
        {
            var name = resource[prefix.Length..^".sql".Length];
            var version = int.Parse(name[..name.IndexOf('_')]);
            using var reader = new StreamReader(asm.GetManifestResourceStream(resource)!);
            yield return (version, name, reader.ReadToEnd());
        }
    }
}
