using System.Net;
using System.Text;
using Microsoft.Data.Sqlite;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.Webhooks;

/// <summary>
/// When the database falls behind, intake refuses new deliveries with 503 and Retry-After (Shopify retries them)
/// instead of queueing without bound; every delivery that got a 200 is stored, none that got a 503 is.
/// </summary>
public class WebhookBackpressureTests
{
    [Test]
    public async Task Post_WhileTheDatabaseIsLocked_QueueFillsThen503WithRetryAfter_And200sAreAllStored()
    {
        using var app = new TestApp(new()
        {
            ["Webhooks:Workers"] = "0", ["Webhooks:MaxBodyBytes"] = "1024", ["Webhooks:IntakeQueueBytes"] = "2048",
        });
        var http = app.CreateClient();
        Assert.That((await http.SendAsync(Webhook.Request("orders/paid", Body(0), "warm-up"))).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        // Another writer holds SQLite's write lock: the group commit waits, and deliveries pile up in the queue.
        var blocker = new SqliteConnection($"Data Source={app.DbPath}");
        blocker.Open();
        var tx = blocker.BeginTransaction(deferred: false);
        var posts = Enumerable.Range(1, 12).Select(i => http.SendAsync(Webhook.Request("orders/paid", Body(i), $"wh-{i}"))).ToList();
        await Eventually.True(() => posts.Any(p => p.IsCompleted), TimeSpan.FromSeconds(5), "a refusal while the database is locked");
        var early = posts.Where(p => p.IsCompleted).Select(p => p.Result).ToList();
        tx.Commit();
        blocker.Dispose();
        var responses = await Task.WhenAll(posts);

        Assert.That(early.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.ServiceUnavailable), "only refusals answer before the commit");
        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.That(refused, Is.Not.Empty);
        Assert.That(refused.Select(r => r.Headers.RetryAfter?.Delta), Is.All.EqualTo(TimeSpan.FromSeconds(5)));
        Assert.That(await refused[0].Content.ReadAsStringAsync(), Does.Contain("inbox-full"));
        var accepted = responses.Count(r => r.StatusCode == HttpStatusCode.OK);
        Assert.That(accepted + refused.Count, Is.EqualTo(12), "nothing but 200 or 503");
        Assert.That(app.Count("SELECT COUNT(*) FROM webhook_inbox WHERE webhook_id LIKE 'wh-%'"), Is.EqualTo(accepted), "every 200 stored, no 503 stored");
    }

    private static byte[] Body(int i) => Encoding.UTF8.GetBytes($$"""{"id":{{i}},"note":"{{new string('x', 600)}}"}""");
}
