using System.Text.Json.Nodes;
using Dapper;
using ShopifyReferral.Data;
using ShopifyReferral.Privacy;
using ShopifyReferral.Referrals;
using ShopifyReferral.Shops;

namespace ShopifyReferral.Tests.Engine;

/// <summary>
/// The order path keeps program versions and referrer codes in memory; a change must still count from the very
/// next order: a program saved here or by another instance, a referrer enrolled after their code first missed.
/// </summary>
public class ProgramCacheTests
{
    private EngineHarness _h = null!;
    private int _orders;

    [SetUp]
    public async Task Start() => _h = await EngineHarness.StartAsync(new ProgramSettings { HoldDays = 14, NewCustomersOnly = false });

    [TearDown]
    public async Task Stop() => await _h.DisposeAsync();

    /// <summary>A guest order with the code, from a friend and an IP address of its own; the order id.</summary>
    private async Task<long> OrderAsync(string code)
    {
        var n = ++_orders;
        long id = 6_200_000_000_000 + n;
        await _h.DeliverEditedAsync("orders/paid/with-code.json", o =>
        {
            o["id"] = id;
            o["name"] = $"#C{n}";
            o["email"] = $"cache-friend{n}@example.com";
            o["contact_email"] = $"cache-friend{n}@example.com";
            o["customer"] = null;
            o["client_details"]!["browser_ip"] = $"192.0.2.{n}";
            o["browser_ip"] = $"192.0.2.{n}";
            o["discount_codes"] = new JsonArray(new JsonObject { ["code"] = code, ["amount"] = "10.00", ["type"] = "fixed_amount" });
        });
        return id;
    }

    [Test]
    public async Task ProgramSavedHere_TakesEffectOnTheNextOrder()
    {
        await _h.EnrolJaneAsync();
        var first = _h.Referral(await OrderAsync("SAMREF-7Q2K"))!;
        Assert.That(first.Status, Is.EqualTo("pending"), "14-day hold");

        var saved = (await _h.Get<ProgramStore>().SaveAsync(EngineHarness.Shop, new ProgramSettings { HoldDays = 0, NewCustomersOnly = false })).Saved!;
        var next = _h.Referral(await OrderAsync("SAMREF-7Q2K"))!;
        Assert.That(next.ProgramVersion, Is.EqualTo(saved.Version));
        Assert.That(next.Status, Is.EqualTo("approved"), "no hold any more");
    }

    [Test]
    public async Task ProgramSavedByAnotherInstance_TakesEffectOnTheNextOrder()
    {
        await _h.EnrolJaneAsync();
        Assert.That(_h.Referral(await OrderAsync("SAMREF-7Q2K"))!.Status, Is.EqualTo("pending"));

        // Another instance over the same database: this one's memory never hears of the save.
        var elsewhere = new ProgramStore(_h.Get<ShopifyReferral.Data.Db>(), TimeProvider.System);
        var saved = (await elsewhere.SaveAsync(EngineHarness.Shop, new ProgramSettings { HoldDays = 0, NewCustomersOnly = false, MinimumOrderSubtotal = 500m })).Saved!;
        var next = _h.Referral(await OrderAsync("SAMREF-7Q2K"))!;
        Assert.That(next.ProgramVersion, Is.EqualTo(saved.Version));
        Assert.That(next.Status, Is.EqualTo("rejected"), "the new minimum of 500");
    }

    [Test]
    public async Task CodeThatMissed_MatchesOnceItsReferrerIsEnrolled()
    {
        Assert.That(_h.Referral(await OrderAsync("LATECOMER-1")), Is.Null, "nobody has the code yet");
        await _h.Get<ReferrerService>().EnrolAsync(EngineHarness.Shop, 4242, "late@example.com", "Late", "Comer", code: "LATECOMER-1");
        var next = _h.Referral(await OrderAsync("latecomer-1"));
        Assert.That(next, Is.Not.Null, "the enrolment forgets the miss");
        Assert.That(next!.Code, Is.EqualTo("LATECOMER-1"));
    }

    [Test]
    public async Task ShopRedactedByAnotherInstance_KeptCodeAndProgramAreNotReused()
    {
        await _h.EnrolJaneAsync();
        Assert.That(_h.Referral(await OrderAsync("SAMREF-7Q2K"))!.Status, Is.EqualTo("pending"), "the code and the program are now kept here");

        // shop/redact runs on another instance (its own memory), the shop installs again and someone else gets the code.
        var db = _h.Get<Db>();
        var elsewhere = new ProgramStore(db, TimeProvider.System);
        await new Redactor(db, _h.Get<Pseudonyms>(), _h.Get<ShopifyReferral.Webhooks.InboxStore>(), elsewhere, new CodeLookup(db), _h.Time).DeleteShopAsync(EngineHarness.Shop, default);
        await _h.Get<ShopInstaller>().InstallAsync(EngineHarness.Shop, _h.Store.CreateAuthorizationCode(EngineHarness.Shop), default);
        await elsewhere.SaveAsync(EngineHarness.Shop, new ProgramSettings { HoldDays = 0, NewCustomersOnly = false });
        long newOwner;
        using (var conn = _h.App.OpenDb())
            newOwner = conn.ExecuteScalar<long>("""
                INSERT INTO referrers (shop, customer_id, email, first_name, code, code_status, program_version, enrolled_at)
                VALUES (@shop, 5151, 'new.owner@example.com', 'New', 'SAMREF-7Q2K', 'live', 1, 0);
                SELECT id FROM referrers WHERE shop = @shop AND customer_id = 5151
                """, new { shop = EngineHarness.Shop });

        var next = _h.Referral(await OrderAsync("SAMREF-7Q2K"))!;
        Assert.That(next.ReferrerId, Is.EqualTo(newOwner), "the code's new owner, not the one kept from before");
        Assert.That(next.Status, Is.EqualTo("approved"), "the reinstalled shop's program (no hold), not version 2 from before");
    }
}
