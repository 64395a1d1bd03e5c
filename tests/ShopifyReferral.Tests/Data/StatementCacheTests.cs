using Dapper;
using ShopifyReferral.Data;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.Data;

/// <summary>
/// A unit of work on SQLite runs each SQL text on one prepared command, moved from caller to caller: each call must
/// still see its own parameters and its own results, a failed execution must not spoil the next, and a reader still
/// open must not have its command taken from under it.
/// </summary>
public class StatementCacheTests
{
    private TestApp _app = null!;
    private Db _db = null!;

    [OneTimeSetUp]
    public void Start()
    {
        _app = new TestApp(new() { ["Webhooks:Workers"] = "0", ["Jobs:Workers"] = "0" });
        _db = _app.Service<Db>();
    }

    [OneTimeTearDown]
    public void Stop() => _app?.Dispose();

    private async Task<T> InUnitAsync<T>(Func<System.Data.Common.DbConnection, UnitOfWork, Task<T>> work)
    {
        await using var unit = await _db.BeginUnitOfWorkAsync();
        using var entered = unit.Enter();
        await using var conn = await _db.OpenAsync();
        await conn.ExecuteAsync("CREATE TEMP TABLE IF NOT EXISTS t (k INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)");
        await conn.ExecuteAsync("DELETE FROM t");
        return await work(conn, unit);
    }

    [Test]
    public async Task SameTextManyTimes_EachCallsOwnParametersAndResults_OnePreparedCommand()
    {
        var (read, kept) = await InUnitAsync(async (conn, unit) =>
        {
            for (var k = 1; k <= 20; k++) await conn.ExecuteAsync("INSERT INTO t (k, v) VALUES (@k, @v)", new { k, v = $"v{k}" });
            var read = new List<string>();
            for (var k = 20; k >= 1; k--) read.Add(await conn.QuerySingleAsync<string>("SELECT v FROM t WHERE k = @k", new { k }));
            return (read, unit.Statements?.Count);
        });
        Assert.That(read, Is.EqualTo(Enumerable.Range(1, 20).Reverse().Select(k => $"v{k}")));
        if (TestProvider.Current == DatabaseProvider.Sqlite) Assert.That(kept, Is.EqualTo(4), "create, delete, insert, select: one command each");
        else Assert.That(kept, Is.Null, "PostgreSQL keeps no statements (its generic plans scan)");
    }

    [Test]
    public async Task FailedExecution_TheNextOfTheSameTextRunsClean()
    {
        var rows = await InUnitAsync(async (conn, _) =>
        {
            const string insert = "INSERT INTO t (k, v) VALUES (@k, @v)";
            await conn.ExecuteAsync(insert, new { k = 1, v = "a" });
            // In its own savepoint, as a batch runs each row: PostgreSQL's transaction is unusable after a failure otherwise.
            await using (var row = await conn.BeginTransactionAsync())
                Assert.That(async () => await conn.ExecuteAsync(insert, new { k = 2, v = "a" }, row), Throws.InstanceOf<System.Data.Common.DbException>());
            await conn.ExecuteAsync(insert, new { k = 3, v = "b" });
            return (await conn.QueryAsync<(long, string)>("SELECT k, v FROM t ORDER BY k")).ToList();
        });
        Assert.That(rows, Is.EqualTo(new[] { (1L, "a"), (3L, "b") }));
    }

    [Test]
    public async Task ManyRowsInOneCall_EachRowWritten()
    {
        var rows = await InUnitAsync(async (conn, _) =>
        {
            await conn.ExecuteAsync("INSERT INTO t (k, v) VALUES (@k, @v)", Enumerable.Range(1, 5).Select(k => new { k, v = $"m{k}" }));
            await conn.ExecuteAsync("INSERT INTO t (k, v) VALUES (@k, @v)", Enumerable.Range(6, 3).Select(k => new { k, v = $"m{k}" }));
            return (await conn.QueryAsync<string>("SELECT v FROM t ORDER BY k")).ToList();
        });
        Assert.That(rows, Is.EqualTo(Enumerable.Range(1, 8).Select(k => $"m{k}")));
    }

    // Only SQLite runs two readers on one connection, so only there can a command be in use this way.
    [Test, Category(TestProvider.SqliteOnly)]
    public async Task ReaderStillOpen_TheSameTextRunsBesideIt()
    {
        var pairs = await InUnitAsync(async (conn, _) =>
        {
            await conn.ExecuteAsync("INSERT INTO t (k, v) VALUES (@k, @v)", Enumerable.Range(1, 3).Select(k => new { k, v = $"r{k}" }));
            const string select = "SELECT k, v FROM t WHERE k >= @k ORDER BY k";
            var pairs = new List<string>();
            await foreach (var outer in conn.QueryUnbufferedAsync<(long K, string V)>(select, new { k = 2 }))
                pairs.Add(outer.V + "/" + string.Join(",", await conn.QueryAsync<string>("SELECT v FROM t WHERE k >= @k ORDER BY k", new { k = outer.K })));
            return pairs;
        });
        Assert.That(pairs, Is.EqualTo(new[] { "r2/r2,r3", "r3/r3" }));
    }

    [Test]
    public async Task TextChangedOnACommand_EachTextKeepsItsOwn()
    {
        var (first, second, again) = await InUnitAsync(async (conn, _) =>
        {
            await conn.ExecuteAsync("INSERT INTO t (k, v) VALUES (1, 'one'), (2, 'two')");
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = "SELECT v FROM t WHERE k = 1";
            var first = (string?)await cmd.ExecuteScalarAsync();
            cmd.CommandText = "SELECT v FROM t WHERE k = 2";
            var second = (string?)await cmd.ExecuteScalarAsync();
            var again = await conn.ExecuteScalarAsync<string>("SELECT v FROM t WHERE k = 1");
            return (first, second, again);
        });
        Assert.That((first, second, again), Is.EqualTo(("one", "two", "one")));
    }
}
