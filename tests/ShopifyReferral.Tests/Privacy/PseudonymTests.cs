using System.Net;
using Dapper;
using Microsoft.Data.Sqlite;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.Privacy;

/// <summary>
/// A redacted customer keeps a pseudonym so counts still add up. Every instance must pick the same one for the same
/// customer, whatever process it runs in: two app processes redact the same customer and must agree.
/// </summary>
public class PseudonymTests
{
    private const string Shop = "demo-shop.myshopify.com";

    [Test]
    public async Task TwoProcesses_RedactTheSameCustomer_ToTheSamePseudonym()
    {
        var started = await Task.WhenAll(
            ServingApp.StartAsync(Repo.TempFolder(), TimeSpan.FromSeconds(90)),
            ServingApp.StartAsync(Repo.TempFolder(), TimeSpan.FromSeconds(90)));
        using var first = started[0];
        using var second = started[1];

        var pseudonyms = await Task.WhenAll(RedactAsync(first), RedactAsync(second));

        Assert.That(pseudonyms[0], Is.Negative);
        Assert.That(pseudonyms[1], Is.EqualTo(pseudonyms[0]), "both instances pseudonymise customer 207119551 alike");
    }

    /// <summary>The friend's order, then Shopify's customers/redact for them; returns the customer id the order keeps.</summary>
    private static async Task<long> RedactAsync(ServingApp app)
    {
        using var http = new HttpClient { BaseAddress = app.BaseAddress };
        long Done()
        {
            using var db = new SqliteConnection($"Data Source={app.DbPath};Pooling=False");
            return db.ExecuteScalar<long>("SELECT COUNT(*) FROM webhook_inbox WHERE status = 'done'");
        }
        var sent = 0;
        // One after the other: the redaction is about an order the app has recorded.
        foreach (var (topic, file) in new[] { ("orders/paid", "orders/paid/with-code.json"), ("customers/redact", "customers/redact/default.json") })
        {
            var response = await http.SendAsync(Webhook.Request(topic, Webhook.Payload(file), shop: Shop));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), app.Output);
            sent++;
            await Eventually.True(() => Done() == sent, TimeSpan.FromSeconds(30), $"{topic} processed\n" + app.Output);
        }
        using var conn = new SqliteConnection($"Data Source={app.DbPath};Pooling=False");
        return conn.ExecuteScalar<long>("SELECT customer_id FROM orders WHERE order_id = 5893217321195");
    }
}
