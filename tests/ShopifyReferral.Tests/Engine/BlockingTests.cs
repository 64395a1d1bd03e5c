using System.Net;
using System.Text.Json;
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
    public async Task Stop() => await _h.DisposeAsync();

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
}
