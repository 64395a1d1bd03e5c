using Dapper;
using ShopifyReferral.Data;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.Data;

/// <summary>
/// Every SQLite connection waits for another's write lock in our busy handler, which tries again about each
/// millisecond, not in SQLite's default one (sleeps of up to 100 ms) and not in Microsoft.Data.Sqlite's (150 ms):
/// on a fresh handle and on one the pool hands out again, and the waiting write still goes through.
/// </summary>
[Category(TestProvider.SqliteOnly)]
public class SqliteBusyWaitTests
{
    private TestApp _app = null!;
    private Db _db = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _app = new TestApp(new() { ["Webhooks:Workers"] = "0", ["Jobs:Workers"] = "0" });
        _db = _app.Service<Db>();
        await using var conn = await _db.OpenAsync();
        await conn.ExecuteAsync("CREATE TABLE IF NOT EXISTS busy_probe (k INTEGER PRIMARY KEY)");
    }

    [OneTimeTearDown]
    public void Stop() => _app?.Dispose();

    [Test]
    public async Task WriterWaitsForAHeldLock_RetriesInOurHandler_ThenWrites_AlsoOnAPooledHandle()
    {
        if (TestProvider.Current != DatabaseProvider.Sqlite) Assert.Ignore("SQLite only: its single write lock");
        for (var round = 1; round <= 2; round++)
        {
            var before = SqliteBusyWait.Retries;
            await using var holder = await _db.OpenAsync();
            await using var tx = await holder.BeginTransactionAsync(); // IMMEDIATE: takes the write lock now
            await holder.ExecuteAsync("INSERT INTO busy_probe (k) VALUES (@k)", new { k = round * 10 }, tx);

            var waiting = Task.Run(async () =>
            {
                await using var writer = await _db.OpenAsync();
                await writer.ExecuteAsync("INSERT INTO busy_probe (k) VALUES (@k)", new { k = round * 10 + 1 });
            });
            // Hold the lock until the writer has been told "busy" a few times, so it is surely waiting in the handler.
            var until = DateTime.UtcNow.AddSeconds(5);
            while (SqliteBusyWait.Retries - before < 5 && DateTime.UtcNow < until && !waiting.IsCompleted) await Task.Delay(10);
            Assert.That(waiting.IsCompleted, Is.False, $"round {round}: the writer did not wait for the held lock");
            await tx.CommitAsync();
            await waiting;

            Assert.That(SqliteBusyWait.Retries - before, Is.GreaterThanOrEqualTo(5), $"round {round}: the wait did not go through SqliteBusyWait");
            await using var check = await _db.OpenAsync();
            Assert.That(await check.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM busy_probe WHERE k IN (@a, @b)", new { a = round * 10, b = round * 10 + 1 }), Is.EqualTo(2));
        }
    }
}
