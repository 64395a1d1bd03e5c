using System.Net;
using System.Text.Json;
using Dapper;
using ShopifyReferral.Referrals;
using ShopifyReferral.Sandbox;
using ShopifyReferral.Shopify;

namespace ShopifyReferral.Tests.Engine;

/// <summary>
/// Blocking a referrer switches their code off in Shopify, unblocking switches it back on. The merchant's request
/// only records the wish; the code sync makes the sandbox store match it, retrying through faults.
/// </summary>
public class BlockingTests
{
    private const string Code = "SAMREF-7Q2K";
    private EngineHarness _h = null!;
    private Referrer _jane = null!;

    [SetUp]
    public async Task Start()
    {
        _h = await EngineHarness.StartAsync();
        _jane = await _h.EnrolJaneAsync();
    }

    [TearDown]
    public async Task Stop() { if (_h is not null) await _h.DisposeAsync(); }

    private ReferrerCodeSync Sync => _h.Get<ReferrerCodeSync>();

    private SandboxDiscountView JaneDiscount() => _h.Store.Discounts(EngineHarness.Shop).Single(d => d.Codes.Contains(Code));

    private int Calls(string operation) => _h.Store.Shop(EngineHarness.Shop).Requests.Count(r => r.Operation == operation);

    private async Task Block(string reason = "posted on a coupon site") =>
        Assert.That((await _h.ApiAsync(HttpMethod.Post, $"/api/referrers/{_jane.Id}/block", new { reason })).Status, Is.EqualTo(HttpStatusCode.OK));

    private async Task Unblock() =>
        Assert.That((await _h.ApiAsync(HttpMethod.Post, $"/api/referrers/{_jane.Id}/unblock")).Status, Is.EqualTo(HttpStatusCode.OK));

    private async Task<string?> CodeState()
    {
        var (_, rows) = await _h.ApiAsync(HttpMethod.Get, "/api/referrers");
        var jane = rows.EnumerateArray().Single(r => r.GetProperty("id").GetInt64() == _jane.Id);
        return jane.TryGetProperty("codeState", out var state) ? state.GetString() : null;
    }

    [Test]
    public async Task Block_CodeDeactivatedInShopifyOnce()
    {
        await Block();
        await Sync.RunOnceAsync(default);
        await Sync.RunOnceAsync(default);

        Assert.That(JaneDiscount().Status, Is.EqualTo("EXPIRED"), "a friend's checkout no longer takes the code");
        Assert.That(Calls(nameof(AdminDocuments.DiscountCodeDeactivate)), Is.EqualTo(1), "once, however often the sync runs");
        Assert.That(await CodeState(), Is.EqualTo("inactive"));
    }

    [Test]
    public async Task Unblock_CodeActiveAgain()
    {
        await Block();
        await Sync.RunOnceAsync(default);
        await Unblock();
        await Sync.RunOnceAsync(default);

        Assert.That(JaneDiscount().Status, Is.EqualTo("ACTIVE"));
        Assert.That(await CodeState(), Is.EqualTo("active"));
    }

    [Test]
    public async Task Block_Shopify5xxDuringDeactivation_RetriedUntilDone()
    {
        await Block();
        _h.Store.Faults(EngineHarness.Shop).FailNext(50, 503); // more than the client's own retries
        await Sync.RunOnceAsync(default);
        Assert.That(JaneDiscount().Status, Is.EqualTo("ACTIVE"));
        Assert.That(await CodeState(), Is.EqualTo("deactivating"), "the wish is kept, not dropped");

        _h.Store.Faults(EngineHarness.Shop).Clear();
        await Sync.RunOnceAsync(default);
        Assert.That(JaneDiscount().Status, Is.EqualTo("EXPIRED"));
        Assert.That(await CodeState(), Is.EqualTo("inactive"));
    }

    [Test]
    public async Task BlockThenUnblockBeforeTheSyncRuns_EndsActive_NoShopifyCall()
    {
        await Block();
        await Unblock();
        await Sync.RunOnceAsync(default);

        Assert.That(JaneDiscount().Status, Is.EqualTo("ACTIVE"));
        Assert.That(Calls(nameof(AdminDocuments.DiscountCodeDeactivate)), Is.Zero);
        Assert.That(await CodeState(), Is.EqualTo("active"));
    }

    [Test]
    public async Task Block_FriendsCheckoutRefusesTheCode_UnblockedItIsTakenAgain()
    {
        var friend = new SandboxOrder { CustomerId = 9001, Email = "new.friend@example.com", DiscountCode = Code };
        await Block();
        await Sync.RunOnceAsync(default);

        Assert.ThrowsAsync<CheckoutRefusedException>(() => _h.Store.PlaceOrderAsync(EngineHarness.Shop, friend, _h.WebhookUrl));
        Assert.That(_h.Store.Orders(EngineHarness.Shop), Is.Empty, "no order, no discount");

        await Unblock();
        await Sync.RunOnceAsync(default);
        var deliveries = await _h.Store.PlaceOrderAsync(EngineHarness.Shop, friend, _h.WebhookUrl);
        Assert.That(deliveries.All(d => d.Succeeded));
        Assert.That(_h.Store.Orders(EngineHarness.Shop).Single().Source.DiscountCode, Is.EqualTo(Code));
    }

    [Test]
    public async Task UnblockedWhileTheDeactivationWasInFlight_NextRoundSwitchesItBackOn()
    {
        await Block();
        Sync.AfterStateCall = async _ => { Sync.AfterStateCall = null; await Unblock(); };
        await Sync.RunOnceAsync(default);
        Assert.That(JaneDiscount().Status, Is.EqualTo("EXPIRED"), "the call that was under way landed");
        Assert.That(await CodeState(), Is.EqualTo("activating"), "and the newer wish is still due");

        await Sync.RunOnceAsync(default);
        Assert.That(JaneDiscount().Status, Is.EqualTo("ACTIVE"));
        Assert.That(await CodeState(), Is.EqualTo("active"));
        Assert.That((Calls(nameof(AdminDocuments.DiscountCodeDeactivate)), Calls(nameof(AdminDocuments.DiscountCodeActivate))), Is.EqualTo((1, 1)));
    }

    [Test]
    public async Task CrashAfterShopifyDeactivated_AnotherSyncTakesTheLeaseOverAndRecordsIt()
    {
        await Block();
        var died = false;
        Sync.AfterStateCall = _ => { died = true; throw new InvalidOperationException("the process died here"); };
        await Sync.RunOnceAsync(default); // the job runner logs the "crash" and retries the job later
        Sync.AfterStateCall = null;
        Assert.That(died, "Shopify was called and the process died before recording it");
        Assert.That(await CodeState(), Is.EqualTo("deactivating"), "nothing recorded");

        await Sync.RunOnceAsync(default);
        Assert.That(Calls(nameof(AdminDocuments.DiscountCodeDeactivate)), Is.EqualTo(1), "the lease holds until it runs out");
        _h.Time.Advance(ReferrerCodeSync.Lease);
        await Sync.RunOnceAsync(default);
        Assert.That(JaneDiscount().Status, Is.EqualTo("EXPIRED"));
        Assert.That(await CodeState(), Is.EqualTo("inactive"));
    }

    [Test]
    public async Task AnswerLostAfterShopifyDeactivated_EndsInactive()
    {
        await Block();
        _h.Store.Faults(EngineHarness.Shop).DropAfterCommitNext(1);
        await Sync.RunOnceAsync(default);
        await Sync.RunOnceAsync(default);

        Assert.That(JaneDiscount().Status, Is.EqualTo("EXPIRED"));
        Assert.That(await CodeState(), Is.EqualTo("inactive"));
    }

    [Test]
    public async Task Block_CodeMadeLiveBeforeGidsWereStored_FoundByItsCodeAndSwitchedOff()
    {
        using (var db = _h.App.OpenDb())
            db.Execute("UPDATE referrers SET code_gid = NULL, code_shopify_state = NULL WHERE id = @Id", new { _jane.Id }); // a row from before 0031
        await Block();
        await Sync.RunOnceAsync(default);

        Assert.That(JaneDiscount().Status, Is.EqualTo("EXPIRED"));
        Assert.That(_h.App.Count("SELECT COUNT(*) FROM referrers WHERE id = @Id AND code_gid = @Gid", new { _jane.Id, JaneDiscount().Gid }), Is.EqualTo(1));
    }

    [Test]
    public async Task Block_DiscountDeletedInShopify_ErrorShownAndAskedAgainLater()
    {
        using (var db = _h.App.OpenDb())
            db.Execute("UPDATE referrers SET code_gid = 'gid://shopify/DiscountCodeNode/999999' WHERE id = @Id", new { _jane.Id });
        await Block();
        await Sync.RunOnceAsync(default);

        var (_, rows) = await _h.ApiAsync(HttpMethod.Get, "/api/referrers");
        var jane = rows.EnumerateArray().Single(r => r.GetProperty("id").GetInt64() == _jane.Id);
        Assert.That(jane.GetProperty("codeState").GetString(), Is.EqualTo("deactivating"));
        Assert.That(jane.GetProperty("codeError").GetString(), Does.Contain("does not exist"));
        var calls = Calls(nameof(AdminDocuments.DiscountCodeDeactivate));
        await Sync.RunOnceAsync(default);
        Assert.That(Calls(nameof(AdminDocuments.DiscountCodeDeactivate)), Is.EqualTo(calls), "not asked again at once");
        _h.Time.Advance(ReferrerCodeSync.RefusedRetry);
        await Sync.RunOnceAsync(default);
        Assert.That(Calls(nameof(AdminDocuments.DiscountCodeDeactivate)), Is.EqualTo(calls + 1));
    }

    [Test]
    public async Task BlockedBeforeTheCodeWasLive_CreatedThenSwitchedOff()
    {
        var maria = await _h.Get<ReferrerService>().EnrolAsync(EngineHarness.Shop, 501, "maria@example.com", "Maria", null);
        Assert.That(await _h.Get<ReferrerService>().SetBlockedByIdAsync(EngineHarness.Shop, maria.Id, true, "duplicate account"), Is.Not.Null);
        await Sync.RunOnceAsync(default);

        var discount = _h.Store.Discounts(EngineHarness.Shop).Single(d => d.Codes.Contains(maria.Code));
        Assert.That(discount.Status, Is.EqualTo("EXPIRED"));
        Assert.That((await _h.Get<ReferrerService>().FindAsync(EngineHarness.Shop, 501))!.CodeState, Is.EqualTo("inactive"));
    }

    /// <summary>
    /// A model of the merchant clicking block and unblock at random while the sync runs and Shopify fails or loses
    /// answers at random, and the wish sometimes changes while a call is under way: once Shopify is healthy again, a
    /// couple of rounds leave the code in the last wished state, recorded as such. Seeded, so a failure replays.
    /// </summary>
    [TestCase(1), TestCase(2), TestCase(3), TestCase(4)]
    public async Task BlockUnblockAtRandom_WithShopifyFaults_EndsWithTheLastWish(int seed)
    {
        var random = new Random(seed);
        var blocked = false;
        async Task Flip() { if (blocked) await Unblock(); else await Block(); blocked = !blocked; }
        _h.Store.Faults(EngineHarness.Shop).Randomly(failRate: 0.3, dropRate: 0.2, seed);
        Sync.AfterStateCall = async _ => { if (random.NextDouble() < 0.3) await Flip(); };
        for (var step = 0; step < 30; step++)
        {
            if (random.NextDouble() < 0.5) await Flip();
            else await Sync.RunOnceAsync(default);
            // Between rounds: a code not due is in its wished state, and what is recorded is what Shopify has.
            using var db = _h.App.OpenDb();
            var row = db.QuerySingle("SELECT blocked, code_shopify_state, code_due_at FROM referrers WHERE id = @Id", new { _jane.Id });
            if (row.code_due_at is not null) continue;
            Assert.That(((long)row.blocked == 1, (string)row.code_shopify_state), Is.EqualTo((blocked, blocked ? "inactive" : "active")), $"step {step}");
            Assert.That(JaneDiscount().Status, Is.EqualTo(blocked ? "EXPIRED" : "ACTIVE"), $"step {step}");
        }

        Sync.AfterStateCall = null;
        _h.Store.Faults(EngineHarness.Shop).Clear();
        await Sync.RunOnceAsync(default);
        await Sync.RunOnceAsync(default);
        Assert.That(JaneDiscount().Status, Is.EqualTo(blocked ? "EXPIRED" : "ACTIVE"));
        Assert.That(await CodeState(), Is.EqualTo(blocked ? "inactive" : "active"));
        Assert.That(_h.App.Count("SELECT COUNT(*) FROM referrers WHERE code_due_at IS NOT NULL OR code_lease_owner IS NOT NULL"), Is.Zero, "nothing left due");
    }
}
