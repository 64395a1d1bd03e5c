using System.Net;
using System.Net.Http.Json;
using ShopifyReferral.Dashboard;
using ShopifyReferral.Merchant;
using ShopifyReferral.Referrals;
using ShopifyReferral.Rewards;
using ShopifyReferral.Sandbox;
using ShopifyReferral.Shops;
using ShopifyReferral.Tests.Engine;
using ShopifyReferral.Tests.Infrastructure;
using ShopifyReferral.Webhooks;
using Microsoft.Extensions.Options;

namespace ShopifyReferral.Tests.Model;

/// <summary>
/// Runs a history against the real app (real SQLite file, real HTTP both ways) and the sandbox store on one
/// hand-moved clock, and remembers what the merchant was told was accepted, for <see cref="LifecycleInvariants"/>.
/// </summary>
public sealed class LifecycleWorld : IAsyncDisposable
{
    public const string Shop = EngineHarness.Shop;

    private LifecycleWorld(EngineHarness h, Referrer jane)
    {
        H = h;
        Jane = jane;
    }

    public EngineHarness H { get; }
    public Referrer Jane { get; }
    public List<long> Orders { get; } = [];
    public HashSet<long> RejectedReferrals { get; } = [];
    public bool Installed { get; private set; } = true;
    public bool Revoked { get; private set; }
    public bool Reinstalled { get; private set; }

    /// <summary>While the referrer is blocked: what existed at Shopify when the block was accepted.</summary>
    public ShopifyRewards? BlockedSnapshot { get; private set; }

    public List<string> Log { get; } = [];

    public static ProgramSettings Program(RewardType reward, string? productGid = null) => new()
    {
        Reward = reward switch
        {
            RewardType.StoreCredit => new ReferrerReward(RewardType.StoreCredit, 5m),
            RewardType.GiftCard => new ReferrerReward(RewardType.GiftCard, 5m),
            RewardType.FreeProduct => new ReferrerReward(RewardType.FreeProduct, 12m, ProductId: productGid, ProductTitle: "Sticker"),
            _ => new ReferrerReward(RewardType.FixedAmount, 10m),
        },
        MinimumOrderSubtotal = 30m,
        HoldDays = 14,
        Milestones = [new Milestone(2, new ReferrerReward(RewardType.FixedAmount, 25m))],
    };

    public static async Task<LifecycleWorld> StartAsync(History history)
    {
        var h = await EngineHarness.StartAsync();
        // A gift card needs its customer to exist at Shopify; a free product its product.
        if (history.Reward == RewardType.GiftCard) h.Store.AddCustomer(Shop, "jane.doe@example.com", id: EngineHarness.JaneId);
        var product = history.Reward == RewardType.FreeProduct ? h.Store.AddProduct(Shop, "Sticker", 12m).Gid : null;
        await h.Get<ProgramStore>().SaveAsync(Shop, Program(history.Reward, product));
        var jane = await h.EnrolJaneAsync();
        return new LifecycleWorld(h, jane);
    }

    public async Task RunAsync(Op op)
    {
        Log.Add(op.ToString());
        switch (op)
        {
            case Op.PlaceOrder p: await PlaceAsync(p.Friend, p.WithCode, p.Subtotal); break;
            case Op.Refund r when Pick(Orders, r.Order) is { } id && Order(id) is { CancelledAt: null, CurrentSubtotal: > 0 } placed:
                await H.Store.RefundAsync(Shop, id, Math.Max(0.01m, Math.Round(placed.CurrentSubtotal * r.Percent / 100m, 2)), H.WebhookUrl);
                break;
            case Op.Cancel c when Pick(Orders, c.Order) is { } id && Order(id) is { CancelledAt: null }:
                await H.Store.CancelOrderAsync(Shop, id, H.WebhookUrl);
                break;
            case Op.Redeliver d when Pick(H.Store.Deliveries, d.Delivery) is { } delivery:
                await H.Store.RedeliverAsync(delivery);
                break;
            case Op.Reconcile: await Quietly(() => H.Get<Reconciler>().RunOnceAsync(default)); break;
            case Op.Approve a when ReferralFor(a.Order) is { } referral:
                await MerchantAsync($"/api/referrals/{referral}/approve", new { reason = "model: looks fine" });
                break;
            case Op.Reject r when ReferralFor(r.Order) is { } referral:
                if (await MerchantAsync($"/api/referrals/{referral}/reject", new { reason = "model: no" })) RejectedReferrals.Add(referral);
                break;
            case Op.Block when BlockedSnapshot is null:
                var before = ShopifyRewards.Read(this);
                if (await MerchantAsync($"/api/referrers/{Jane.Id}/block", new { reason = "model: abuse" })) BlockedSnapshot = before;
                break;
            case Op.Unblock when BlockedSnapshot is { } snapshot:
                if (await MerchantAsync($"/api/referrers/{Jane.Id}/unblock", new { }))
                {
                    LifecycleInvariants.NothingNewWhileBlocked(this, snapshot);
                    BlockedSnapshot = null;
                }
                break;
            case Op.Uninstall when Installed:
                H.Store.Uninstall(Shop);
                await H.Store.SendWebhookAsync(H.WebhookUrl, Shop, "app/uninstalled", Webhook.Payload("app/uninstalled/default.json"));
                Installed = false;
                break;
            case Op.Reinstall:
                // An install whose Shopify calls fail is an error page for the merchant, who installs again later.
                try { await ReinstallAsync(); }
                catch (Exception ex) when (ex is not InvariantViolationException) { Log[^1] += $" -> install failed: {ex.GetType().Name}"; }
                break;
            case Op.RevokeToken: H.Store.RevokeTokens(Shop); Revoked = true; break;
            case Op.Fault f:
                var faults = H.Store.Faults(Shop);
                _ = f.Kind switch
                {
                    FaultKind.ServerError => faults.FailNext(f.Count, 503),
                    FaultKind.RateLimited => faults.RateLimitNext(f.Count),
                    _ => faults.DropAfterCommitNext(f.Count),
                };
                break;
            case Op.CrashWorker:
                var o = H.Get<IOptions<WebhookOptions>>().Value;
                await H.Get<InboxStore>().ClaimAsync("crashed-worker", 3, H.Time.GetUtcNow(), o.LeaseDuration);
                break;
            case Op.Advance a: H.Time.Advance(TimeSpan.FromHours(a.Hours)); break;
            case Op.Work: await WorkAsync(); break;
            default: Log[^1] += " (nothing to do)"; break;
        }
    }

    /// <summary>Every background job once, as the hosted loops would run them; a failing one is logged and the rest go on.</summary>
    public async Task WorkAsync()
    {
        await Quietly(async () => { while (await H.Get<WebhookProcessor>().RunOnceAsync(default) > 0) { } return 0; });
        await Quietly(() => H.Get<ReferrerCodeSync>().RunOnceAsync(default));
        await Quietly(() => H.Get<HoldSweeper>().RunOnceAsync(default));
        await Quietly(async () => { for (var i = 0; i < 5 && await H.Get<RewardIssuer>().RunOnceAsync(default) > 0; i++) { } return 0; });
        await Quietly(() => H.Get<Clawback>().RunOnceAsync(default));
        await Quietly(() => H.Get<RewardThanks>().RunOnceAsync(default));
    }

    /// <summary>Ends the history the way an operator would: faults gone, the shop installed, time passing until all settles.</summary>
    public async Task SettleAsync()
    {
        H.Store.Faults(Shop).Clear();
        if (!Installed || Revoked) await ReinstallAsync();
        for (var round = 0; round < 4; round++)
        {
            await WorkAsync();
            H.Time.Advance(TimeSpan.FromDays(round < 2 ? 1 : 15));
        }
        for (var round = 0; round < 4; round++)
        {
            H.Time.Advance(TimeSpan.FromHours(7)); // past any lease, backoff or parking
            await WorkAsync();
        }
    }

    private async Task PlaceAsync(int friend, bool withCode, int subtotal)
    {
        if (!Installed) return; // a shop without the app still sells, but sends us nothing
        await H.Store.PlaceOrderAsync(Shop, new SandboxOrder
        {
            CustomerId = 6000 + friend, Email = $"friend{friend}@example.com", FirstName = $"Friend{friend}",
            Subtotal = subtotal, DiscountCode = withCode ? "SAMREF-7Q2K" : null, BrowserIp = $"198.51.100.{friend + 1}",
        }, H.WebhookUrl);
        Orders.Add(H.Store.Orders(Shop)[^1].Id);
    }

    private async Task ReinstallAsync()
    {
        // A merchant reinstalls some time after uninstalling: Shopify's events for the two never share an instant.
        H.Time.Advance(TimeSpan.FromMinutes(1));
        await H.Get<ShopInstaller>().InstallAsync(Shop, H.Store.CreateAuthorizationCode(Shop), default);
        (Installed, Revoked, Reinstalled) = (true, false, true);
    }

    private async Task<bool> MerchantAsync(string path, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new("Bearer", Sessions.Token(Shop, secret: H.Store.Options.ClientSecret, aud: H.Store.Options.ClientId));
        var response = await H.Http.SendAsync(request);
        Log[^1] += $" -> {(int)response.StatusCode}";
        if (response.StatusCode >= HttpStatusCode.InternalServerError)
            throw new InvariantViolationException($"{path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return response.IsSuccessStatusCode;
    }

    private async Task Quietly(Func<Task<int>> job)
    {
        try
        {
            await job();
        }
        catch (Exception ex)
        {
            Log.Add($"  background: {ex.GetType().Name}: {ex.Message.Split('\n')[0]}");
        }
    }

    private ShopifyReferral.Sandbox.State.PlacedOrder? Order(long id) => H.Store.Orders(Shop).SingleOrDefault(o => o.Id == id);

    private long? ReferralFor(int index) => Pick(Orders, index) is { } id ? H.Referral(id)?.Id : null;

    private static T? Pick<T>(IReadOnlyList<T> items, int index) where T : class => items.Count == 0 ? null : items[index % items.Count];

    private static long? Pick(IReadOnlyList<long> items, int index) => items.Count == 0 ? null : items[index % items.Count];

    public async ValueTask DisposeAsync() => await H.DisposeAsync();
}

public sealed class InvariantViolationException(string message) : Exception(message);
