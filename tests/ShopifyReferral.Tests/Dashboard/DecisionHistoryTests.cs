using System.Net;
using System.Text.Json;
using Dapper;
using ShopifyReferral.Referrals;
using ShopifyReferral.Tests.Engine;

namespace ShopifyReferral.Tests.Dashboard;

/// <summary>
/// Every status change of a referral leaves a decision (who or what decided, when, why), written with the change,
/// and GET /api/referrals shows them in order: a merchant's reason survives whatever happens to the referral next.
/// </summary>
public class DecisionHistoryTests
{
    private const long OrderId = 5893217321195; // webhooks/orders/paid/with-code.json
    private EngineHarness _h = null!;

    [SetUp]
    public async Task Start()
    {
        // Self-referral is sent to review instead of rejected, so a merchant has something to decide.
        _h = await EngineHarness.StartAsync(new ProgramSettings { Fraud = new(SelfReferral: ReviewAction.Review) });
        await _h.EnrolJaneAsync();
    }

    [TearDown]
    public async Task Stop() { if (_h is not null) await _h.DisposeAsync(); }

    /// <summary>The friend's order carries Jane's mailbox with a +tag: the self-referral rule holds it for review.</summary>
    private Task DeliverHeldOrderAsync() =>
        _h.DeliverEditedAsync("orders/paid/with-code.json", o => o["email"] = "jane.doe+sister@example.com");

    private async Task<List<(string Actor, string Action, string Status, string? Reason)>> Decisions()
    {
        var (status, rows) = await _h.ApiAsync(HttpMethod.Get, "/api/referrals");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        var referral = rows.EnumerateArray().Single(r => r.GetProperty("orderId").GetInt64() == OrderId);
        Assert.That(referral.TryGetProperty("decisions", out var decisions), Is.True, "GET /api/referrals lists each referral's decisions");
        var openApi = JsonDocument.Parse(await _h.Http.GetStringAsync("/api/openapi.json")).RootElement;
        var documented = openApi.GetProperty("components").GetProperty("schemas").GetProperty("Decision").GetProperty("properties");
        foreach (var d in decisions.EnumerateArray())
            Assert.That(d.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(documented.EnumerateObject().Select(p => p.Name)), "as documented");
        return [.. decisions.EnumerateArray().Select(d => (
            d.GetProperty("actor").GetString()!, d.GetProperty("action").GetString()!, d.GetProperty("status").GetString()!,
            d.GetProperty("reason").ValueKind == JsonValueKind.Null ? null : d.GetProperty("reason").GetString()))];
    }

    [Test]
    public async Task Approve_MerchantsReasonSurvivesTheHoldSweeper()
    {
        await DeliverHeldOrderAsync();
        Assert.That(_h.Referral(OrderId)!.Status, Is.EqualTo("review"));
        _h.Time.Advance(TimeSpan.FromDays(15)); // the hold is over: approving releases it at once

        var referralId = _h.Referral(OrderId)!.Id;
        var (status, _) = await _h.ApiAsync(HttpMethod.Post, $"/api/referrals/{referralId}/approve", new { reason = "Her sister, a different person" });
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        await _h.Get<HoldSweeper>().RunOnceAsync(default);
        Assert.That(_h.Referral(OrderId)!.Status, Is.EqualTo("approved"));

        var decisions = await Decisions();
        Assert.That(decisions.Select(d => (d.Actor, d.Action, d.Status)), Is.EqualTo(new[]
        {
            ("engine", "review", "review"), ("merchant", "approve", "pending"), ("system", "release", "approved"),
        }));
        Assert.That(decisions[1].Reason, Is.EqualTo("Her sister, a different person"));
        Assert.That(decisions[0].Reason, Does.Contain("jane.doe+sister@example.com"), "the rule's evidence");
    }

    [Test]
    public async Task Reject_RecordedWithTheMerchantsReason()
    {
        await DeliverHeldOrderAsync();
        var referralId = _h.Referral(OrderId)!.Id;
        await _h.ApiAsync(HttpMethod.Post, $"/api/referrals/{referralId}/reject", new { reason = "It is Jane herself" });

        Assert.That((await Decisions()).Last(), Is.EqualTo(("merchant", "reject", "rejected", (string?)"It is Jane herself")));
    }

    [Test]
    public async Task HoldRewardRefund_EachStatusChangeHasItsDecision()
    {
        await _h.DeliverAsync("orders/paid/with-code.json");
        Assert.That(await _h.PassHoldAndIssueAsync(), Is.EqualTo(1));
        await _h.DeliverAsync("refunds/create/full.json");

        Assert.That((await Decisions()).Select(d => (d.Actor, d.Action, d.Status)), Is.EqualTo(new[]
        {
            ("engine", "hold", "pending"), ("system", "release", "approved"), ("system", "reward", "rewarded"), ("engine", "void", "voided"),
        }));
        using var db = _h.App.OpenDb();
        // Every judged referral's newest decision is its status: no change went unrecorded.
        Assert.That(db.ExecuteScalar<long>("""
            SELECT COUNT(*) FROM referrals r WHERE r.paid_at IS NOT NULL AND r.status <> (
                SELECT d.status FROM referral_decisions d WHERE d.referral_id = r.id ORDER BY d.id DESC LIMIT 1)
            """), Is.Zero);
    }
}
