using Dapper;
using ShopifyReferral.Data;
using ShopifyReferral.Tests.Infrastructure;
using ShopifyReferral.Webhooks;

namespace ShopifyReferral.Tests.Data;

/// <summary>Migrations and the provider-specific statements, run on each provider.</summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.SqlServer)]
[TestFixture(DatabaseProvider.PostgreSql)]
[Category(TestProvider.EachProvider)]
public class StorageTests(DatabaseProvider provider)
{
    private TestDatabase _database = null!;

    [SetUp]
    public void Create() => _database = TestDatabase.Create(provider);

    [TearDown]
    public void Drop() => _database?.Dispose();

    private async Task<List<int>> AppliedVersions()
    {
        await using var conn = await _database.Db().OpenAsync();
        return (await conn.QueryAsync<int>("SELECT version FROM schema_version ORDER BY version")).AsList();
    }

    private static List<int> AllVersions(DatabaseProvider p) => Migrator.Scripts(p).Select(s => s.Version).ToList();

    [Test]
    public async Task Migrate_Twice_AppliesEachScriptOnce()
    {
        await _database.Migrator().MigrateAsync();
        await _database.Migrator().MigrateAsync();
        Assert.That(await AppliedVersions(), Is.EqualTo(AllVersions(provider)));
    }

    [Test]
    public async Task Migrate_FromSeveralInstancesAtOnce_AppliesEachScriptOnce()
    {
        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => _database.Migrator().MigrateAsync())));
        Assert.That(await AppliedVersions(), Is.EqualTo(AllVersions(provider)));
    }

    [Test]
    public void Scripts_ExistForEveryProviderWithTheSameVersions()
    {
        Assert.That(AllVersions(DatabaseProvider.SqlServer), Is.EqualTo(AllVersions(DatabaseProvider.Sqlite)));
        Assert.That(AllVersions(DatabaseProvider.PostgreSql), Is.EqualTo(AllVersions(DatabaseProvider.Sqlite)));
        Assert.That(AllVersions(provider), Is.Not.Empty);
    }

    [Test]
    public async Task InsertInbox_SameShopAndWebhookId_StoresOneRow()
    {
        await _database.Migrator().MigrateAsync();
        var db = _database.Db();
        await using var conn = await db.OpenAsync();
        object Row(string shop) => new
        {
            shop, topic = "orders/paid", webhook_id = "wh-1", event_id = "ev", triggered_at = "t", api_version = "2026-10",
            body = new byte[] { 1, 2 }, received_at = 1L,
        };
        var counts = new[]
        {
            await conn.ExecuteAsync(db.Dialect.InsertInbox, Row("a.myshopify.com")),
            await conn.ExecuteAsync(db.Dialect.InsertInbox, Row("a.myshopify.com")),
            await conn.ExecuteAsync(db.Dialect.InsertInbox, Row("b.myshopify.com")),
        };
        Assert.That(counts, Is.EqualTo(new[] { 1, 0, 1 }));
    }

    [Test]
    public async Task Claim_ConcurrentWorkers_NeverClaimTheSameRow()
    {
        await _database.Migrator().MigrateAsync();
        var db = _database.Db();
        await using (var conn = await db.OpenAsync())
            for (var i = 0; i < 200; i++)
                await conn.ExecuteAsync(db.Dialect.InsertInbox, new
                {
                    shop = "a.myshopify.com", topic = "orders/paid", webhook_id = $"wh-{i}", event_id = "ev",
                    triggered_at = "t", api_version = "2026-10", body = new byte[] { 1 }, received_at = 1L,
                });
        var store = new InboxStore(db);
        var now = DateTimeOffset.FromUnixTimeMilliseconds(10);

        async Task<List<long>> Worker(int n)
        {
            var mine = new List<long>();
            while (true)
            {
                var rows = await store.ClaimAsync($"w{n}", 7, now, TimeSpan.FromMinutes(5));
                if (rows.Count == 0) return mine;
                mine.AddRange(rows.Select(r => r.Id));
            }
        }
        var claimed = (await Task.WhenAll(Enumerable.Range(0, 4).Select(n => Task.Run(() => Worker(n))))).SelectMany(x => x).ToList();

        Assert.That(claimed, Has.Count.EqualTo(200));
        Assert.That(claimed.Distinct().Count(), Is.EqualTo(200));
    }

    [Test]
    public async Task FirstRows_ReturnsOnlyTheFirstRowsInOrder()
    {
        await _database.Migrator().MigrateAsync();
        var db = _database.Db();
        await using var conn = await db.OpenAsync();
        for (var v = 10; v < 15; v++)
            await conn.ExecuteAsync("INSERT INTO programs (shop, version, settings, created_at) VALUES ('a.myshopify.com', @v, '{}', 0)", new { v });
        var first = await conn.QueryAsync<int>(db.FirstRows("SELECT version FROM programs ORDER BY version DESC"), new { limit = 2 });
        Assert.That(first, Is.EqualTo(new[] { 14, 13 }));
    }
}
