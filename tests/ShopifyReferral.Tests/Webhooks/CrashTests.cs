using System.Globalization;
using System.Collections.Concurrent;
using System.Net;
using Dapper;
using ShopifyReferral.Data;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.Webhooks;

/// <summary>
/// A 200 is a promise that the delivery is committed: Shopify will not send it again. So killing the app
/// with SIGKILL while webhooks stream in must lose none that got a 200. (bench/sigkill.sh does the same at
/// full load; this is the small version that runs with every test run.) It would fail if the app answered
/// before its group commit was durable: the rows of the batch being written at the kill would be missing.
/// </summary>
public class CrashTests
{
    private const int Senders = 64;

    /// <summary>Enough acknowledged deliveries that group commits are in full swing.</summary>
    private const int KillAfterAcks = 500;

    // Each case is a fresh app and database. 512 is the default cap of one group commit. With 1, every row
    // is its own commit and fsync, so the writer falls behind and rows queue up at every kill: an app that
    // answered once a row was queued rather than committed loses those. (Answering after the insert but
    // before the commit is beyond a SIGKILL test: the gap is microseconds and the kernel keeps what was written.)
    [TestCase(512)]
    [TestCase(512)]
    [TestCase(1)]
    public async Task SigKill_UnderLoad_LosesNoAcknowledgedWebhook(int maxGroupCommit)
    {
        var folder = Repo.TempFolder();
        var body = File.ReadAllBytes(Repo.Path("bench", "orders-paid-4k.json"));
        var acked = new ConcurrentBag<string>();
        var ackCount = 0;
        using var app = await ServingApp.StartAsync(folder, TimeSpan.FromSeconds(30),
            new() { ["Webhooks__MaxGroupCommit"] = maxGroupCommit.ToString(CultureInfo.InvariantCulture) });
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Senders })
        {
            BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(5),
        };

        var stop = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var senders = Enumerable.Range(0, Senders).Select(n => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var id = $"crash-{n}-{i}";
                try
                {
                    var response = await http.SendAsync(Webhook.Request("orders/paid", body, webhookId: id, shop: "crash-shop.myshopify.com"));
                    if (response.StatusCode != HttpStatusCode.OK) continue;
                    acked.Add(id);
                    // Kill right after an acknowledgement: had the app answered before its commit, that
                    // commit would still be running now. (Killing from a poll loop instead leaves it time to finish.)
                    if (Interlocked.Increment(ref ackCount) == KillAfterAcks) app.Kill();
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    return; // the app is gone: this one was in flight, stored or not, both are fine
                }
            }
        })).ToArray();

        await Task.WhenAll(senders);
        Assert.That(app.Killed, Is.True, $"Only {acked.Count} webhooks were acknowledged in 15 s; the kill never came:\n{app.Output}");

        // A fresh connection (SQLite: recovering the WAL the killed process left behind, as the next start would).
        await using var db = app.Database.Open();
        var stored = (await db.QueryAsync<string>("SELECT webhook_id FROM webhook_inbox")).ToHashSet();
        var lost = acked.Where(id => !stored.Contains(id)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(lost, Is.Empty, $"{lost.Count} of {acked.Count} acknowledged webhooks are not in the inbox");
            if (app.Database.Provider == DatabaseProvider.Sqlite)
                Assert.That(db.ExecuteScalar<string>("PRAGMA integrity_check"), Is.EqualTo("ok"));
        });
        TestContext.Out.WriteLine($"acked {acked.Count}, present {acked.Count - lost.Count}, lost {lost.Count}, rows {stored.Count}");
    }
}
