using ShopifyReferral.Referrals;
using Dapper;

namespace ShopifyReferral.Tests.Model;

/// <summary>What the referrer holds at Shopify: reward codes (discounts made for them) and store credit transactions.</summary>
public sealed record ShopifyRewards(IReadOnlySet<string> Codes, int Credits, IReadOnlyList<string> GiftCardCodes)
{
    public static ShopifyRewards Read(LifecycleWorld w)
    {
        var gid = $"gid://shopify/Customer/{w.Jane.CustomerId}";
        var codes = w.H.Store.Discounts(LifecycleWorld.Shop).Where(d => d.CustomerGids.Contains(gid)).SelectMany(d => d.Codes).ToHashSet();
        var accounts = w.H.Store.StoreCreditAccounts(LifecycleWorld.Shop).Where(a => a.CustomerId == w.Jane.CustomerId).Select(a => a.Id).ToHashSet();
        var credits = w.H.Store.StoreCreditTransactions(LifecycleWorld.Shop).Count(t => accounts.Contains(t.AccountId) && t.Amount > 0);
        var cards = w.H.Store.GiftCards(LifecycleWorld.Shop).Where(g => g.CustomerId == w.Jane.CustomerId).Select(g => g.Code).ToList();
        // A gift card's code is its reward row's code too, so every check by code covers cards as well.
        codes.UnionWith(cards);
        return new ShopifyRewards(codes, credits, cards);
    }
}

/// <summary>
/// The rules that must hold after any history, in the words a store owner would use (README, "What the app
/// promises"). Each throws <see cref="InvariantViolationException"/> naming what broke.
/// </summary>
public static class LifecycleInvariants
{
    public static void CheckAll(LifecycleWorld w)
    {
        using var db = w.H.App.OpenDb();
        var rewards = db.Query<RewardFact>("""
            SELECT id, idempotency_key, referral_id, kind, reward_type, status, code, last_error FROM rewards WHERE shop = @shop
            """, new { shop = LifecycleWorld.Shop }).AsList();
        var referrals = db.Query<ReferralFact>("SELECT id, order_id, status FROM referrals WHERE shop = @shop", new { shop = LifecycleWorld.Shop })
            .ToDictionary(r => r.Id);
        var shopify = ShopifyRewards.Read(w);

        // One reward per referral and per milestone: at Shopify no code or credit the ledger does not account for.
        var ledgerCodes = rewards.Where(r => r.Code is not null).Select(r => r.Code!).ToHashSet();
        var orphans = shopify.Codes.Where(c => c.StartsWith("THANKS-", StringComparison.Ordinal) && !ledgerCodes.Contains(c)).ToList();
        Require(orphans.Count == 0, $"reward codes at Shopify that no reward row owns: {string.Join(", ", orphans)}");
        var creditRows = rewards.Count(r => r.RewardType == "store_credit");
        Require(shopify.Credits <= creditRows, $"{shopify.Credits} store credits at Shopify for {creditRows} store-credit reward rows: paid twice");
        var cardRows = rewards.Where(r => r.RewardType == "gift_card").Select(r => r.Code).ToHashSet();
        Require(shopify.GiftCardCodes.Count == shopify.GiftCardCodes.Distinct().Count() && shopify.GiftCardCodes.All(cardRows.Contains),
            $"gift cards at Shopify ({string.Join(", ", shopify.GiftCardCodes)}) that no gift card reward row owns, or one made twice");
        var perKey = rewards.GroupBy(r => r.IdempotencyKey).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Require(perKey.Count == 0, $"more than one reward row for {string.Join(", ", perKey)}");

        // Nothing reaches Shopify for a referral after the merchant's reject was accepted.
        foreach (var id in w.RejectedReferrals)
            foreach (var r in rewards.Where(r => r.ReferralId == id && r.Kind == "referral"))
                Require(r.Code is null ? r.Status is not ("issued" or "redeemed") : !shopify.Codes.Contains(r.Code),
                    $"referral {id} was rejected by the merchant but its reward {r.Id} reached Shopify ({r.Status})");
        if (w.BlockedSnapshot is { } snapshot) NothingNewWhileBlocked(w, snapshot);

        // A voided referral keeps no live reward: not issued after the void, and one issued before is clawed back or a loss.
        foreach (var r in rewards.Where(r => r.Kind == "referral" && r.ReferralId is { } id && referrals.GetValueOrDefault(id)?.Status == "voided"))
            Require(r.Status is not ("issued" or "owed"), $"referral {r.ReferralId} is voided but its reward {r.Id} is {r.Status}");

        // Every reward the app owed has ended: issued (maybe redeemed), clawed back, lost, cancelled, or failed with a reason.
        foreach (var r in rewards)
        {
            Require(r.Status != "owed", $"reward {r.Id} ({r.IdempotencyKey}) is still owed after everything settled: {r.LastError}");
            Require(r.Status != "failed" || !string.IsNullOrWhiteSpace(r.LastError), $"reward {r.Id} failed without a reason");
        }

        // A partial refund that leaves the order above the minimum keeps its referral.
        var minimum = LifecycleWorld.Program(RewardType.FixedAmount).MinimumOrderSubtotal;
        foreach (var order in w.H.Store.Orders(LifecycleWorld.Shop))
        {
            var referral = referrals.Values.SingleOrDefault(r => r.OrderId == order.Id);
            if (referral is null || order.CancelledAt is not null || order.Refunded == 0) continue;
            if (order.CurrentSubtotal >= minimum)
                Require(referral.Status != "voided",
                    $"order {order.Name} was refunded {order.Refunded} of {order.SubtotalPrice} (still {order.CurrentSubtotal} >= {minimum}) but its referral was voided");
        }

        // Fraud evidence the webhooks brought is never erased (by a reconciliation copy or anything else).
        foreach (var o in db.Query<(long OrderId, string? BrowserIp, string? Shipping)>(
                     "SELECT order_id, browser_ip, shipping_fingerprint FROM orders WHERE shop = @shop", new { shop = LifecycleWorld.Shop }))
            Require(o.BrowserIp is not null && o.Shipping is not null, $"order {o.OrderId} lost its recorded IP or shipping address");
    }

    public static void NothingNewWhileBlocked(LifecycleWorld w, ShopifyRewards before)
    {
        var now = ShopifyRewards.Read(w);
        var added = now.Codes.Except(before.Codes).ToList();
        Require(added.Count == 0 && now.Credits == before.Credits && now.GiftCardCodes.Count == before.GiftCardCodes.Count,
            $"rewards reached Shopify while the referrer was blocked: codes {string.Join(", ", added)}, credits {before.Credits} -> {now.Credits}, " +
            $"gift cards {before.GiftCardCodes.Count} -> {now.GiftCardCodes.Count}");
    }

    private static void Require(bool ok, string what)
    {
        if (!ok) throw new InvariantViolationException(what);
    }

    private sealed record RewardFact
    {
        public long Id { get; init; }
        public string IdempotencyKey { get; init; } = "";
        public long? ReferralId { get; init; }
        public string Kind { get; init; } = "";
        public string RewardType { get; init; } = "";
        public string Status { get; init; } = "";
        public string? Code { get; init; }
        public string? LastError { get; init; }
    }

    private sealed record ReferralFact
    {
        public long Id { get; init; }
        public long OrderId { get; init; }
        public string Status { get; init; } = "";
    }
}
