using System.Data.Common;
using Dapper;
using ShopifyReferral.Events;
using ShopifyReferral.Referrals;
using ShopifyReferral.Shops;
using ShopifyReferral.Tests.Engine;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.Events;

/// <summary>Delivery to a real receiver: signatures, retries until it recovers, rollbacks, parking, giving up after a day.</summary>
public class EventDeliveryTests : EventsFixture
{
    private Task<Referrer> EnrolAsync(long customerId) =>
        H.Get<ReferrerService>().EnrolAsync(EngineHarness.Shop, customerId, $"c{customerId}@example.com", "Jane", "Doe");

    [Test]
    public async Task Delivery_IsSignedByStandardWebhooks_VerifiedByAnIndependentHmac()
    {
        await RegisterAsync(EventTypes.ReferrerEnrolled);
        var jane = await EnrolAsync(EngineHarness.JaneId);
        Assert.That(await DeliverAsync(), Is.EqualTo(1));

        var r = Receiver.All.Single();
        Assert.That(r.SignatureValid, Is.True, $"signature {r.Signature}");
        Assert.That(r.Signature, Does.StartWith("v1,"));
        Assert.That(EventReceiver.Verify(EventSignature.NewSecret(), r.WebhookId, r.Timestamp, r.Body, r.Signature), Is.False, "another secret does not verify");
        Assert.That(r.Timestamp, Is.EqualTo(H.Time.GetUtcNow().ToUnixTimeSeconds()));
        var e = StoredEvents().Single();
        Assert.That(r.WebhookId, Is.EqualTo(e.Id).And.StartWith("evt_"));
        Assert.That(r.Json.GetProperty("id").GetString(), Is.EqualTo(e.Id));
        Assert.That(r.Type, Is.EqualTo(EventTypes.ReferrerEnrolled));
        Assert.That(r.Json.GetProperty("shop").GetString(), Is.EqualTo(EngineHarness.Shop));
        var data = r.Json.GetProperty("data");
        Assert.That(data.GetProperty("referrer_id").GetInt64(), Is.EqualTo(jane.Id));
        Assert.That(data.GetProperty("customer_id").GetInt64(), Is.EqualTo(EngineHarness.JaneId));
        AssertNoPersonalData(Receiver.All);
        Assert.That(Deliveries().Single().Status, Is.EqualTo("delivered"));
    }

    [Test]
    public async Task FailingEndpoint_ThatRecovers_GetsEveryEventOnce_WithTheSameIdOnEveryAttempt()
    {
        await RegisterAsync();
        Receiver.Answer = n => n <= 7 ? 503 : 200; // down for a while
        for (var c = 1; c <= 3; c++) await EnrolAsync(1000 + c);

        for (var round = 0; round < 20 && Receiver.Accepted.Count < 3; round++)
        {
            await DeliverAsync();
            H.Time.Advance(TimeSpan.FromHours(2));
        }
        var ids = StoredEvents().Select(e => e.Id).ToList();
        Assert.That(ids, Has.Count.EqualTo(3));
        Assert.That(Receiver.Accepted.Select(r => r.WebhookId), Is.EquivalentTo(ids), "each event accepted exactly once");
        Assert.That(Receiver.All.Select(r => r.WebhookId).Distinct(), Is.EquivalentTo(ids), "retries carry the event's own id, nothing new");
        Assert.That(Receiver.All, Has.Count.EqualTo(10));
        Assert.That(Receiver.All.All(r => r.SignatureValid), Is.True);
        Assert.That(Deliveries().Select(d => d.Status), Is.All.EqualTo("delivered"));
        Assert.That(Deliveries().Sum(d => d.Attempts), Is.EqualTo(10));
    }

    [Test]
    public async Task ChangeThatRollsBack_DeliversNothing()
    {
        await RegisterAsync();
        // A crash after the change and its event were written, before the commit: the last insert of the transaction fails.
        var (crash, undo) = TestProvider.Current switch
        {
            ShopifyReferral.Data.DatabaseProvider.Sqlite => ("CREATE TRIGGER crash BEFORE INSERT ON event_deliveries BEGIN SELECT RAISE(ABORT, 'crash before commit'); END;",
                "DROP TRIGGER crash"),
            ShopifyReferral.Data.DatabaseProvider.PostgreSql => ("""
                CREATE FUNCTION crash() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'crash before commit'; END $$ LANGUAGE plpgsql;
                CREATE TRIGGER crash BEFORE INSERT ON event_deliveries FOR EACH ROW EXECUTE FUNCTION crash();
                """, "DROP TRIGGER crash ON event_deliveries"),
            _ => (null, null),
        };
        if (crash is null) Assert.Ignore("The crash trigger is written for SQLite and PostgreSQL only.");
        using (var db = H.App.OpenDb()) db.Execute(crash);

        Assert.That(async () => await EnrolAsync(EngineHarness.JaneId), Throws.InstanceOf<DbException>());
        using (var db = H.App.OpenDb())
        {
            Assert.That(db.ExecuteScalar<long>("SELECT COUNT(*) FROM referrers"), Is.Zero, "the change rolled back");
            Assert.That(db.ExecuteScalar<long>("SELECT COUNT(*) FROM jobs WHERE kind = 'event.deliver'"), Is.Zero);
            db.Execute(undo!);
        }
        Assert.That(StoredEvents(), Is.Empty);
        Assert.That(await DeliverAsync(), Is.Zero);
        Assert.That(Receiver.All, Is.Empty);

        await EnrolAsync(EngineHarness.JaneId); // the same change, committed this time
        await DeliverAsync();
        Assert.That(Receiver.All.Select(r => r.Type), Is.EqualTo(new[] { EventTypes.ReferrerEnrolled }));
    }

    [Test]
    public async Task UninstalledShop_IsParked_AndDeliveredWhenItInstallsAgain()
    {
        await RegisterAsync();
        await EnrolAsync(EngineHarness.JaneId);
        await H.Get<ShopStore>().MarkUninstalledAsync(EngineHarness.Shop, H.Time.GetUtcNow());
        Assert.That(await DeliverAsync(), Is.Zero);
        Assert.That(Receiver.All, Is.Empty, "nothing goes out for an uninstalled shop");
        var parked = Deliveries().Single();
        Assert.That((parked.Status, parked.Attempts), Is.EqualTo(("pending", 0)));
        Assert.That(parked.LastError, Does.StartWith("Parked: the shop uninstalled the app"));

        await H.Get<ShopInstaller>().InstallAsync(EngineHarness.Shop, H.Store.CreateAuthorizationCode(EngineHarness.Shop), default);
        Assert.That(await DeliverAsync(), Is.EqualTo(1));
        Assert.That(Receiver.Accepted, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task EndpointThatNeverRecovers_IsRetriedForAtLeastADay_WithGrowingWaits_ThenFails()
    {
        await RegisterAsync();
        Receiver.Answer = _ => 500;
        await EnrolAsync(EngineHarness.JaneId);
        var retry = new EventOptions().Retry;
        for (var step = 0; step < 1000 && Deliveries().Single().Status == "pending"; step++)
        {
            await DeliverAsync();
            H.Time.Advance(TimeSpan.FromMinutes(5));
        }
        var all = Receiver.All;
        Assert.That(all, Has.Count.EqualTo(retry.MaxAttempts));
        Assert.That(all.Select(r => r.WebhookId).Distinct().Count(), Is.EqualTo(1));
        Assert.That(TimeSpan.FromSeconds(all[^1].Timestamp - all[0].Timestamp), Is.GreaterThanOrEqualTo(TimeSpan.FromHours(24)));
        for (var n = 1; n < all.Count; n++)
            Assert.That(TimeSpan.FromSeconds(all[n].Timestamp - all[n - 1].Timestamp), Is.GreaterThanOrEqualTo(retry.Nominal(n) - TimeSpan.FromSeconds(1)), $"wait after attempt {n}");
        var failed = Deliveries().Single();
        Assert.That(failed.Status, Is.EqualTo("failed"));
        Assert.That(failed.LastError, Does.Contain($"Gave up after {retry.MaxAttempts} attempts").And.Contain("HTTP 500"));
    }

    [Test]
    public async Task PendingDeliveryWithoutItsJob_IsFoundByTheAudit()
    {
        await RegisterAsync();
        await EnrolAsync(EngineHarness.JaneId);
        using (var db = H.App.OpenDb()) db.Execute("DELETE FROM jobs WHERE kind = 'event.deliver'"); // as after a restore
        Assert.That(await DeliverAsync(), Is.Zero);
        Assert.That(await H.Get<ShopifyReferral.Jobs.JobAudit>().EnqueueMissingAsync(H.Get<EventDelivery>(), default), Is.EqualTo(1));
        Assert.That(await DeliverAsync(), Is.EqualTo(1));
        Assert.That(await H.Get<ShopifyReferral.Jobs.JobAudit>().EnqueueMissingAsync(H.Get<EventDelivery>(), default), Is.Zero, "delivered: nothing missing");
    }

    [Test]
    public void RetryPolicy_SpansADay_AndOnlyTheEventKindHasItsOwn()
    {
        Assert.That(new EventOptions().Retry.Span, Is.GreaterThanOrEqualTo(TimeSpan.FromHours(24)));
        var own = H.Get<ShopifyReferral.Jobs.JobRunner>().Handlers.Where(h => h.Retry is not null).Select(h => h.Kind);
        Assert.That(own, Is.EqualTo(new[] { EventDelivery.JobKind }), "every other kind keeps the Jobs:* policy");
    }
}
