using Dapper;
using ShopifyReferral.Data;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.Data;

/// <summary>
/// The app migrates an empty database itself before it serves. Every other test app starts on a copy of the run's
/// migrated template (<see cref="TestDatabase.CreateMigrated"/>), so this is the one that sees the app's start apply the scripts.
/// </summary>
public class StartupMigrationTests
{
    [Test]
    public async Task Start_OnAnEmptyDatabase_AppliesEveryMigrationBeforeServing()
    {
        TestDatabase.SkipUnlessAvailable();
        using var database = TestDatabase.Create();
        await using (var conn = database.Open())
            Assert.That(await conn.ExecuteScalarAsync<long>(database.Provider == DatabaseProvider.Sqlite
                ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"
                : "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'"), Is.Zero, "the database starts empty");

        await using var app = new TestApp(database: database);
        var response = await app.CreateClient().GetAsync("/health/ready");

        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        Assert.That(app.Count("SELECT COUNT(*) FROM schema_version"), Is.EqualTo(Migrator.Scripts(database.Provider).Count()));
        Assert.That(app.Count("SELECT COUNT(*) FROM referrals"), Is.Zero, "the last tables exist");
    }
}
