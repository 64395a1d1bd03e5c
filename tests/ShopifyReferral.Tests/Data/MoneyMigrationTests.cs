using Dapper;
using ShopifyReferral.Data;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.Data;

/// <summary>
/// Migration 0030 moves money from Shopify's decimal strings to integer minor units: a database written before it
/// keeps every amount, exactly, whatever the currency's decimals.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.SqlServer)]
public class MoneyMigrationTests(DatabaseProvider provider)
{
    private TestDatabase _database = null!;

    [SetUp]
    public void Create() => _database = TestDatabase.Create(provider);

    [TearDown]
    public void Drop() => _database?.Dispose();

    [Test]
    public async Task Migrate_RowsWrittenAsDecimalStrings_KeepEveryAmountInMinorUnits()
    {
        var db = _database.Db();
        await using (var conn = await db.OpenAsync())
        {
            await conn.ExecuteAsync(db.Dialect.CreateSchemaVersionTable);
            foreach (var (version, name, sql) in Migrator.Scripts(provider).Where(s => s.Version < 30))
            {
                await conn.ExecuteAsync(sql);
                await conn.ExecuteAsync("INSERT INTO schema_version (version, name, applied_at) VALUES (@version, @name, 0)", new { version, name });
            }
            await conn.ExecuteAsync("""
                INSERT INTO orders (shop, order_id, currency, subtotal_price, total_price, discounted_subtotal, order_updated_at, last_topic, recorded_at)
                VALUES ('s', 1, 'USD', '80.00', '91.60', '43.20', 0, 'orders/paid', 0),
                       ('s', 2, 'JPY', '1200', '1320', '1200', 0, 'orders/paid', 0),
                       ('s', 3, 'KWD', '12.345', '12.345', NULL, 0, 'orders/paid', 0);
                INSERT INTO refunds (shop, refund_id, order_id, amount, subtotal, recorded_at) VALUES ('s', 10, 1, '10.80', '10.00', 0);
                INSERT INTO referrers (shop, customer_id, code, program_version, enrolled_at) VALUES ('s', 7, 'JANE', 1, 0);
                """);
            var referrer = await conn.ExecuteScalarAsync<long>("SELECT id FROM referrers");
            await conn.ExecuteAsync("""
                INSERT INTO referrals (shop, order_id, referrer_id, code, program_version, status, currency, order_subtotal, order_updated_at, created_at, updated_at)
                VALUES ('s', 1, @referrer, 'JANE', 1, 'approved', 'USD', '43.20', 0, 0, 0);
                INSERT INTO rewards (shop, idempotency_key, referrer_id, kind, reward_type, value, currency, status, created_at)
                VALUES ('s', 'a', @referrer, 'referral', 'fixed_amount', '7.5', 'USD', 'issued', 0),
                       ('s', 'b', @referrer, 'referral', 'percentage', '15', 'USD', 'issued', 0),
                       ('s', 'c', @referrer, 'referral', 'store_credit', '1000', 'JPY', 'issued', 0);
                """, new { referrer });
        }

        await _database.Migrator().MigrateAsync();

        await using var check = await db.OpenAsync();
        var orders = (await check.QueryAsync<(long, long?, long?, long?)>(
            "SELECT order_id, subtotal_minor, total_minor, discounted_subtotal_minor FROM orders ORDER BY order_id")).AsList();
        Assert.That(orders, Is.EqualTo(new (long, long?, long?, long?)[] { (1, 8000, 9160, 4320), (2, 1200, 1320, 1200), (3, 12345, 12345, null) }));
        var refund = await check.QuerySingleAsync<(string, long, long)>("SELECT currency, amount_minor, subtotal_minor FROM refunds");
        Assert.That(refund, Is.EqualTo(("USD", 1080L, 1000L)));
        Assert.That(await check.ExecuteScalarAsync<long>("SELECT order_subtotal_minor FROM referrals"), Is.EqualTo(4320));
        var rewards = (await check.QueryAsync<(string, string?, long?)>("SELECT idempotency_key, value, amount_minor FROM rewards ORDER BY idempotency_key")).AsList();
        Assert.That(rewards, Is.EqualTo(new (string, string?, long?)[] { ("a", null, 750), ("b", "15", null), ("c", null, 1000) }));
    }
}

/// <summary>Amounts to minor units and back, for currencies with 0, 2 and 3 decimals.</summary>
public class MoneyTests
{
    [TestCase("80.00", "USD", 8000L, "80.00")]
    [TestCase("43.2", "USD", 4320L, "43.20")]
    [TestCase("1200", "JPY", 1200L, "1200")]
    [TestCase("12.345", "KWD", 12345L, "12.345")]
    [TestCase("-10.00", "EUR", -1000L, "-10.00")]
    [TestCase("5", null, 500L, "5.00")]
    public void Money_ParsesToMinorUnits_AndFormatsWithTheCurrencysDecimals(string amount, string? currency, long minor, string formatted)
    {
        Assert.That(Money.Parse(amount, currency), Is.EqualTo(minor));
        Assert.That(Money.Format(minor, currency), Is.EqualTo(formatted));
        Assert.That(Money.FromMinor(minor, currency), Is.EqualTo(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)));
    }
}
