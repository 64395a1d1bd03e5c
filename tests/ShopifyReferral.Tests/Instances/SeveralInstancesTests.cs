using System.Diagnostics;
using Dapper;
using ShopifyReferral.Referrals;
using ShopifyReferral.Sandbox;

namespace ShopifyReferral.Tests.Instances;

/// <summary>
/// Three app processes on one database, every background job running in each: webhooks arrive duplicated and out of
/// order at any of them, Shopify fails 20 % of calls and loses 20 % of mutation answers, and one process is SIGKILLed
/// the moment Shopify has created a reward code it asked for, before the answer reaches it. The end state must be
/// what one careful instance would leave: each reward once, each inbox row handled once, no lease or token refresh
/// taken by two instances at once.
/// </summary>
public class SeveralInstancesTests
{
    private const int Instances = 3, Referrers = 4, FriendsEach = 3;

    [Test]
    public async Task ThreeInstances_DuplicatesFaultsAndAKillDuringIssuance_ExactlyOnce()
    {
        var watch = Stopwatch.StartNew();
        var killed = -1;
        string? killedCode = null;
        InstanceCluster cluster = null!;
        var options = new SandboxOptions
        {
            // Tokens are refreshed 5 minutes before they expire: each one needs a refresh 3 s after it was issued, so the
            // instances keep meeting at the refresh lease.
            AccessTokenLifetime = TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(3),
            OnMutation = m =>
            {
                // Shopify has just created a reward code; kill the instance that asked before it hears back.
                if (killed >= 0 || !m.Variables.ToJsonString().Contains("\"THANKS-")) return;
                var instance = cluster.InstanceOfPort(m.Port);
                if (Interlocked.CompareExchange(ref killed, instance, -1) != -1) return;
                killedCode = (string?)m.Variables["discount"]?["code"];
                cluster.Apps[instance].Kill();
            },
        };
        await using (cluster = await InstanceCluster.StartAsync(Instances, options))
        {
            await cluster.InstallAsync(new ProgramSettings
            {
                HoldDays = 0, Milestones = [new Milestone(FriendsEach, new ReferrerReward(RewardType.FixedAmount, 25m))],
            });
            await using (var db = cluster.Database.Open())
                for (var r = 0; r < Referrers; r++)
                {
                    cluster.Store.AddCustomer(InstanceCluster.Shop, $"referrer{r}@example.com", id: 7000 + r);
                    await db.ExecuteAsync("""
                        INSERT INTO referrers (shop, customer_id, email, first_name, code, code_status, program_version, enrolled_at)
                        VALUES (@shop, @customer, @email, 'Ref', @code, 'pending', 2, 0)
                        """, new { shop = InstanceCluster.Shop, customer = 7000 + r, email = $"referrer{r}@example.com", code = $"FRIEND-{r}" });
                }
            cluster.Store.Faults(InstanceCluster.Shop).Randomly(failRate: 0.2, dropRate: 0.2, seed: 2026);

            // Each order's create and paid, every one sent 1 to 3 times (same webhook id), all shuffled and concurrent.
            var random = new Random(10);
            var deliveries = new List<(string Topic, byte[] Body, string Id)>();
            for (var n = 0; n < Referrers * FriendsEach; n++)
            {
                long orderId = 6_100_000_000_000 + n, friend = 8000 + n;
                cluster.Store.AddCustomer(InstanceCluster.Shop, $"friend{n}@example.com", numberOfOrders: 1, id: friend);
                foreach (var topic in new[] { "orders/create", "orders/paid" })
                {
                    var body = InstanceCluster.OrderPayload($"{topic}/with-code.json", orderId, friend, $"FRIEND-{n % Referrers}", n);
                    var id = Guid.NewGuid().ToString();
                    for (var copy = random.Next(1, 4); copy > 0; copy--) deliveries.Add((topic, body, id));
                }
            }
            var logical = deliveries.Select(d => d.Id).Distinct().Count();
            var gate = new SemaphoreSlim(6);
            await Task.WhenAll(deliveries.OrderBy(_ => random.Next()).Select(async d =>
            {
                await gate.WaitAsync();
                try { await cluster.DeliverAsync(d.Topic, d.Body, d.Id, new Random(d.Id.GetHashCode())); }
                finally { gate.Release(); }
            }));

            // The dead instance's leases (inbox rows, its reward) run out after 30 s; the others then finish its work.
            var expectedRewards = Referrers * FriendsEach + Referrers;
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(7);
            while (DateTime.UtcNow < deadline && !(cluster.Count("SELECT COUNT(*) FROM rewards WHERE status = 'issued'") == expectedRewards
                       && cluster.Count("SELECT COUNT(*) FROM webhook_inbox WHERE status NOT IN ('done', 'skipped')") == 0))
                await Task.Delay(1000);
            cluster.Store.Faults(InstanceCluster.Shop).Clear();

            await using var conn = cluster.Database.Open();
            var rewards = (await conn.QueryAsync<(string Key, string Status, string? Code, string? Gid)>(
                "SELECT idempotency_key, status, code, shopify_gid FROM rewards")).ToList();
            var inShopify = cluster.Store.Discounts(InstanceCluster.Shop).Where(d => d.Codes.Any(c => c.StartsWith("THANKS-", StringComparison.Ordinal))).ToList();
            var handled = cluster.HandledRows();
            var refreshes = cluster.Store.Refreshes(InstanceCluster.Shop);
            var requests = cluster.Store.Shop(InstanceCluster.Shop).Requests;
            var inboxRows = await conn.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM webhook_inbox");
            var logs = string.Join("\n", cluster.Apps.Select((a, i) => $"--- instance {i}{(a.Killed ? " (killed)" : "")}:\n{a.Output}"));
            TestContext.Out.WriteLine(
                $"{Instances} instances on {cluster.Database.Provider}: {deliveries.Count} posts of {logical} deliveries -> {inboxRows} inbox rows; " +
                $"instance {killed} killed creating {killedCode}; {Referrers * FriendsEach} referrals, {rewards.Count} rewards, {inShopify.Count} reward codes in Shopify; " +
                $"{requests.Count} Admin API calls, {requests.Count(r => r.Status >= 500)} failed or lost; {refreshes.Count} token refreshes; " +
                $"rows handled per instance: {string.Join("/", Enumerable.Range(0, Instances).Select(i => handled.Count(h => h.Instance == i)))}; {watch.Elapsed.TotalSeconds:F0} s");

            Assert.Multiple(() =>
            {
                Assert.That(killed, Is.Not.EqualTo(-1), "an instance was killed while it issued a reward");
                Assert.That(inboxRows, Is.EqualTo(logical), "each delivery stored once, whichever instance and however often it came");
                Assert.That(cluster.Count("SELECT COUNT(*) FROM webhook_inbox WHERE status <> 'done'"), Is.Zero, logs);
                Assert.That(handled.GroupBy(h => h.Row).Where(g => g.Count() > 1).Select(g => g.Key), Is.Empty, "no inbox row handled twice");
                Assert.That(cluster.LeaseWarnings(), Is.Empty, "no lease ran out under its holder, no refresh refused");
                Assert.That(cluster.Count("SELECT COUNT(*) FROM referrals WHERE status = 'rewarded'"), Is.EqualTo(Referrers * FriendsEach), logs);
                Assert.That(rewards.Select(r => r.Key), Is.Unique);
                Assert.That(rewards.Count(r => r.Key.EndsWith(":referral", StringComparison.Ordinal)), Is.EqualTo(Referrers * FriendsEach), "one reward per referral");
                Assert.That(rewards.Count(r => r.Key.EndsWith($":milestone:{FriendsEach}", StringComparison.Ordinal)), Is.EqualTo(Referrers), "one milestone reward per referrer");
                Assert.That(rewards.Select(r => r.Status).Distinct(), Is.EqualTo(new[] { "issued" }), logs);
                Assert.That(inShopify.SelectMany(d => d.Codes), Is.EquivalentTo(rewards.Select(r => r.Code)), "each reward's code exists once in Shopify");
                Assert.That(rewards.Select(r => r.Gid), Is.EquivalentTo(inShopify.Select(d => d.Gid)), "and is the one recorded");
                Assert.That(refreshes, Is.Not.Empty, "the token was refreshed while the instances worked");
                Assert.That(refreshes.Where(r => !r.PresentedLatest || !r.Granted), Is.Empty, "each refresh started from the latest token: never two at once");
                Assert.That(cluster.Count("SELECT COUNT(*) FROM shops WHERE status = 'installed'"), Is.EqualTo(1));
                Assert.That(requests.Count(r => r.Status >= 500), Is.GreaterThan(0), "faults really happened");
            });
        }
    }
}
