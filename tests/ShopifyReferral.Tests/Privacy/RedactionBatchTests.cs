using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;
using ShopifyReferral.Privacy;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.Privacy;

/// <summary>
/// customers/redact scans the stored raw bodies for the customer. It reads them in bounded batches and blanks the hits
/// in short writes, so the intake and the workers can write between two batches instead of waiting for the whole scan.
/// </summary>
public class RedactionBatchTests
{
    private const string Shop = "demo-shop.myshopify.com";

    [Test]
    public async Task LargeInbox_ScannedInBatches_OthersWriteBetweenThem_EveryHitBlanked()
    {
        using var app = new TestApp(new() { ["Webhooks:Workers"] = "0" });
        var redactor = app.Service<Redactor>(); // starts the app: the database is migrated
        using (var db = app.OpenDb())
        using (var tx = db.BeginTransaction())
        {
            for (var i = 0; i < 1500; i++)
            {
                var email = i % 3 == 0 ? "friend@example.com" : $"buyer{i}@example.com";
                db.Execute("""
                    INSERT INTO webhook_inbox (shop, topic, webhook_id, body, received_at, status, attempts, processed_at)
                    VALUES (@Shop, 'orders/paid', @id, @body, 1, 'done', 1, 1)
                    """, new { Shop, id = $"seed-{i}", body = Encoding.UTF8.GetBytes($$"""{"id":{{i}},"email":"{{email}}"}""") }, tx);
            }
            tx.Commit();
        }
        var pauses = 0;
        redactor.BetweenBatches = () =>
        {
            // Another writer (the intake, a worker) between two batches: it gets the write lock at once.
            using var other = new SqliteConnection($"Data Source={app.DbPath};Pooling=False;Default Timeout=2");
            other.Open();
            other.Execute("INSERT INTO webhook_inbox (shop, topic, webhook_id, body, received_at) VALUES (@Shop, 'orders/paid', @id, X'7B7D', 2)",
                new { Shop, id = $"during-{pauses++}" });
            return Task.CompletedTask;
        };

        await redactor.RedactCustomerAsync(new Subject(Shop, 207119551, "friend@example.com", []), 0, default);

        Assert.That(pauses, Is.GreaterThanOrEqualTo(2), "more than one batch, with room for other writers between them");
        using var check = app.OpenDb();
        var bodies = check.Query<byte[]>("SELECT body FROM webhook_inbox WHERE webhook_id LIKE 'seed-%'").Select(b => Encoding.UTF8.GetString(b)).ToList();
        Assert.That(bodies.Count(b => b.Contains("friend@example.com")), Is.Zero);
        Assert.That(bodies.Count(b => b.Contains("@example.com")), Is.EqualTo(1000), "other customers' deliveries untouched");
        Assert.That(check.ExecuteScalar<long>("SELECT COUNT(*) FROM webhook_inbox WHERE body_removed_at IS NOT NULL"), Is.EqualTo(500));
    }
}
