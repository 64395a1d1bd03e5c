using Dapper;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.Dashboard;

/// <summary>
/// Migration 0055 fills share_click_days from the clicks recorded before it: an existing database's report reads
/// the same counts from it as from the rows. Run by taking 0055 back out of a migrated database (its table dropped,
/// its version forgotten) and migrating again. SQLite and, in the PG pass, PostgreSQL.
/// </summary>
public class ShareClickDaysMigrationTests
{
    private const long Day = 86_400_000;

    [Test]
    public async Task Migration0055_CountsTheClicksRecordedBefore_PerShopDayAndChannel()
    {
        using var database = TestDatabase.Create();
        await database.Migrator().MigrateAsync();
        await using (var conn = await database.Db().OpenAsync())
        {
            foreach (var shop in new[] { "a.myshopify.com", "b.myshopify.com" })
            {
                var referrer = await conn.ExecuteScalarAsync<long>("""
                    INSERT INTO referrers (shop, customer_id, email, code, code_status, program_version, enrolled_at)
                    VALUES (@shop, 1, 'r@example.com', 'MIG-1', 'live', 1, 0) RETURNING id
                    """, new { shop });
                // Day 20,000's last instant and day 20,001's first belong to different days.
                foreach (var (at, channel) in new[] { (20_000 * Day, "email"), (20_001 * Day - 1, "email"), (20_001 * Day, "email"), (20_000 * Day + 5, "copy") })
                    await conn.ExecuteAsync("""
                        INSERT INTO share_clicks (shop, referrer_id, code, channel, clicked_at) VALUES (@shop, @referrer, 'MIG-1', @channel, @at)
                        """, new { shop, referrer, channel, at });
            }
            await conn.ExecuteAsync("DROP TABLE share_click_days");
            await conn.ExecuteAsync("DELETE FROM schema_version WHERE version = 55");
        }

        await database.Migrator().MigrateAsync();

        await using var check = await database.Db().OpenAsync();
        var rows = (await check.QueryAsync<(string, long, string, long)>(
            "SELECT shop, day, channel, clicks FROM share_click_days ORDER BY shop, day, channel")).ToList();
        var expected = new[] { "a.myshopify.com", "b.myshopify.com" }
            .SelectMany(s => new[] { (s, 20_000L, "copy", 1L), (s, 20_000L, "email", 2L), (s, 20_001L, "email", 1L) });
        Assert.That(rows, Is.EqualTo(expected));
    }
}
