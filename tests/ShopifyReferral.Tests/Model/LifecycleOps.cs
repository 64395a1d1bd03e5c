using ShopifyReferral.Referrals;
using FsCheck;
using FsCheck.Fluent;

namespace ShopifyReferral.Tests.Model;

/// <summary>
/// One step of a generated history: what Shopify, a shopper or the merchant does, or what the app's background work
/// gets to run. Indices pick among what exists at that point (orders placed, deliveries sent) modulo their count, so
/// any history is valid and shrinking (dropping steps) keeps it valid.
/// </summary>
public abstract record Op
{
    /// <summary>A friend checks out; with the referrer's code or without; subtotal in whole units.</summary>
    public sealed record PlaceOrder(int Friend, bool WithCode, int Subtotal) : Op;

    /// <summary>The merchant refunds a share (percent) of what is left of an order's subtotal.</summary>
    public sealed record Refund(int Order, int Percent) : Op;

    public sealed record Cancel(int Order) : Op;

    /// <summary>Shopify sends an earlier delivery again (same id, bytes and triggered-at): a duplicate or a late retry.</summary>
    public sealed record Redeliver(int Delivery) : Op;

    /// <summary>The reconciliation sweep asks the Admin API for orders and feeds copies through the inbox.</summary>
    public sealed record Reconcile : Op;

    public sealed record Approve(int Order) : Op;

    public sealed record Reject(int Order) : Op;

    public sealed record Block : Op;

    public sealed record Unblock : Op;

    /// <summary>The merchant uninstalls: tokens revoked, subscriptions gone, app/uninstalled sent.</summary>
    public sealed record Uninstall : Op;

    /// <summary>The merchant installs again (OAuth code for a fresh token).</summary>
    public sealed record Reinstall : Op;

    /// <summary>Shopify revokes the app's grant: the next refresh is refused.</summary>
    public sealed record RevokeToken : Op;

    /// <summary>The next Admin API calls fail: 5xx, THROTTLED/429, or a response lost after Shopify committed.</summary>
    public sealed record Fault(FaultKind Kind, int Count) : Op;

    /// <summary>A worker claims inbox rows and dies holding the lease.</summary>
    public sealed record CrashWorker : Op;

    public sealed record Advance(int Hours) : Op;

    /// <summary>Every background job runs once: inbox, code sync, hold sweep, issuance, clawback, thanks.</summary>
    public sealed record Work : Op;
}

public enum FaultKind { ServerError, RateLimited, LostResponse }

public static class LifecycleGen
{
    private static Gen<Op> Of<T>(T op) where T : Op => Gen.Constant<Op>(op);

    public static readonly Gen<Op> Step = Gen.Frequency(
        (6, from f in Gen.Choose(0, 5) from c in Gen.Frequency((4, Gen.Constant(true)), (1, Gen.Constant(false)))
            from s in Gen.Choose(25, 140) select (Op)new Op.PlaceOrder(f, c, s)),
        (3, from o in Gen.Choose(0, 9) from p in Gen.Elements(10, 30, 60, 100) select (Op)new Op.Refund(o, p)),
        (1, Gen.Choose(0, 9).Select(o => (Op)new Op.Cancel(o))),
        (4, Gen.Choose(0, 40).Select(d => (Op)new Op.Redeliver(d))),
        (1, Of(new Op.Reconcile())),
        (2, Gen.Choose(0, 9).Select(o => (Op)new Op.Approve(o))),
        (2, Gen.Choose(0, 9).Select(o => (Op)new Op.Reject(o))),
        (1, Of(new Op.Block())),
        (1, Of(new Op.Unblock())),
        (1, Of(new Op.Uninstall())),
        (1, Of(new Op.Reinstall())),
        (1, Of(new Op.RevokeToken())),
        (2, from k in Gen.Elements(FaultKind.ServerError, FaultKind.RateLimited, FaultKind.LostResponse)
            from n in Gen.Choose(1, 3) select (Op)new Op.Fault(k, n)),
        (1, Of(new Op.CrashWorker())),
        (3, Gen.Elements(1, 6, 24, 24 * 7, 24 * 15).Select(h => (Op)new Op.Advance(h))),
        (6, Of(new Op.Work())));

    public static readonly Gen<History> Histories =
        from storeCredit in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
        from n in Gen.Choose(8, 28)
        from steps in Step.ArrayOf(n)
            // Drawn last, so the seeds kept for the code and store-credit histories still draw the same steps.
        from other in Gen.Frequency((2, Gen.Constant(RewardType.FixedAmount)), (1, Gen.Constant(RewardType.GiftCard)), (1, Gen.Constant(RewardType.FreeProduct)))
        select new History(storeCredit ? RewardType.StoreCredit : other, steps);

    /// <summary>Smaller histories first: without the first or second half, then without each single step.</summary>
    public static IEnumerable<History> Shrink(History h)
    {
        var s = h.Steps;
        if (s.Length > 1)
        {
            yield return h with { Steps = s[(s.Length / 2)..] };
            yield return h with { Steps = s[..(s.Length / 2)] };
        }
        for (var i = 0; i < s.Length; i++) yield return h with { Steps = [.. s[..i], .. s[(i + 1)..]] };
        if (h.Reward != RewardType.FixedAmount) yield return h with { Reward = RewardType.FixedAmount };
    }

    public static Arbitrary<History> Arbitrary => Arb.From(Histories, Shrink);
}

/// <summary>A history: the referrer's reward type and the steps. Printed in full when a property fails.</summary>
public sealed record History(RewardType Reward, Op[] Steps)
{
    public override string ToString() =>
        $"History(reward: {Reward}, {Steps.Length} steps)\n  " + string.Join("\n  ", Steps.Select(s => s.ToString()));
}
