using Dapper;
using ShopifyReferral.Data;

namespace ShopifyReferral.Referrals;

/// <summary>
/// Turns an order's latest recorded state into its one referral (UNIQUE per shop and order). It reads the
/// stored order, not the delivery, so create/paid/updated/cancelled arriving in any order, duplicated or stale,
/// end in the same place: judged once when first seen paid, voided when cancelled or refunded.
/// </summary>
public sealed class ReferralEngine(
    Db db, ProgramStore programs, CodeLookup codes, FraudRules rules, ReferrerService referrers, Rewards.RewardLedger ledger, Jobs.JobQueue jobs,
    Events.EventOutbox events, TimeProvider time, ILogger<ReferralEngine> log)
{
    /// <param name="buyer">The customer's name from the payload, for an auto-enrolled buyer's code; orders rows keep no names.</param>
    public async Task OnOrderAsync(string shop, long orderId, CancellationToken ct, (string? First, string? Last) buyer = default)
    {
        var order = await OrderFacts.LoadAsync(db, shop, orderId, ct);
        if (order is null) return;
        await AutoEnrolAsync(order, buyer, ct);
        if (order.Codes.Count == 0) return;
        // A reward code spent. Most orders carry none: they cost no write here.
        if (order.IsPaid && order.Codes.Any(Rewards.RewardLedger.IsRewardCode)) await ledger.MarkRedeemedAsync(order.Shop, order.OrderId, order.Codes, ct);

        var (referral, referrer) = await ReferralStore.FindByOrderAsync(db, shop, orderId, ct) is { } found ? (found, null) : await CreateAsync(order, ct);
        if (referral is null || referral.Status is "rejected" or "voided") return;
        var program = (await programs.FindAsync(shop, referral.ProgramVersion, ct))!.Settings;
        referrer ??= (await ReferralStore.FindReferrerAsync(db, referral.ReferrerId, ct))!;

        if (order.Cancelled) await VoidAsync(referral, referrer, "The order was cancelled.", ct);
        else if (order.FullyRefunded) await VoidAsync(referral, referrer, "The order was fully refunded.", ct);
        else if (referral.PaidAt is not null && order.SubtotalAfterRefunds < program.MinimumOrderSubtotal)
            await VoidAsync(referral, referrer, $"Refunds took the order to {order.SubtotalAfterRefunds:0.00} {order.Currency}, under the minimum of {program.MinimumOrderSubtotal:0.00}.", ct);
        else if (referral.PaidAt is null && order.IsPaid) await JudgeAsync(order, referral, referrer, program, ct);
    }

    /// <summary>The order's new referral and its referrer, both read in the creating transaction; nulls when it has none.</summary>
    private async Task<(Referral? Referral, Referrer? Referrer)> CreateAsync(OrderFacts order, CancellationToken ct)
    {
        // The owner of a code comes from memory (CodeLookup); the insert re-checks it against the row, so an owner kept
        // from before a shop/redact never gets the referral: then it is forgotten and looked up once more.
        for (var attempt = 0; attempt < 2; attempt++)
        {
            CodeLookup.Owner? referrer = null;
            foreach (var code in order.Codes)
                if ((referrer = await codes.FindAsync(order.Shop, code, ct)) is not null) break;
            if (referrer is null) return (null, null);
            var program = await programs.GetActiveAsync(order.Shop, ct);
            await using (var conn = await db.OpenAsync(ct))
            await using (var tx = await conn.BeginTransactionAsync(ct))
            {
                var created = await conn.ExecuteAsync("""
                    INSERT INTO referrals (shop, order_id, order_name, referrer_id, code, friend_customer_id, friend_email, program_version,
                                           status, status_reason, currency, order_subtotal_minor, order_updated_at, created_at, updated_at, channel)
                    SELECT @Shop, @OrderId, @Name, @rid, @code, @CustomerId, @Email, @version,
                           'pending', 'Waiting for the order to be paid.', @Currency, @DiscountedSubtotalMinor, @OrderUpdatedAt, @now, @now, @LandingChannel
                    WHERE NOT EXISTS (SELECT 1 FROM referrals WHERE shop = @Shop AND order_id = @OrderId)
                      AND EXISTS (SELECT 1 FROM referrers WHERE id = @rid AND shop = @Shop AND code = @code)
                    """, new
                {
                    order.Shop, order.OrderId, order.Name, rid = referrer.ReferrerId, code = referrer.Code, order.CustomerId, order.Email,
                    version = program.Version, order.Currency, order.DiscountedSubtotalMinor, order.OrderUpdatedAt, order.LandingChannel,
                    now = time.GetUtcNow().ToUnixTimeMilliseconds(),
                }, tx) == 1;
                if (created)
                {
                    // Read back in the same transaction: what was written, with its id, for the event and the judgement.
                    var referral = await conn.QuerySingleAsync<Referral>(ReferralStore.SelectByOrder, new { shop = order.Shop, orderId = order.OrderId }, tx);
                    var owner = await conn.QuerySingleAsync<Referrer>(ReferralStore.SelectReferrer, new { id = referral.ReferrerId }, tx);
                    await ReferralEvents.RecordAsync(events, conn, tx, referral, owner, Events.EventTypes.ReferralCreated);
                    await tx.CommitAsync(ct);
                    return (referral, owner);
                }
                await tx.CommitAsync(ct);
            }
            // Not created: another worker did it first, or the code's owner changed (then forgotten and looked up again).
            if (await ReferralStore.FindByOrderAsync(db, order.Shop, order.OrderId, ct) is { } theirs) return (theirs, null);
            codes.Forget(order.Shop, referrer.Code);
        }
        return (null, null);
    }

    private async Task JudgeAsync(OrderFacts order, Referral referral, Referrer referrer, ProgramSettings program, CancellationToken ct)
    {
        var checks = await rules.EvaluateAsync(order, referrer, program, referral.Id, ct);
        var now = time.GetUtcNow();
        var reject = checks.FirstOrDefault(c => c.Outcome == "reject");
        var review = checks.FirstOrDefault(c => c.Outcome == "review");
        var holdUntil = now.AddDays(program.HoldDays);
        var (status, action, reason) = reject is not null ? ("rejected", "reject", reject.Evidence)
            : review is not null ? ("review", "review", "Held for review: " + review.Evidence)
            : program.HoldDays == 0 ? ("approved", "approve", "Paid; the program has no hold period.")
            : ("pending", "hold", $"Paid; in the {program.HoldDays}-day hold until {holdUntil:yyyy-MM-dd HH:mm} UTC.");

        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // paid_at IS NULL: of two workers judging the same order at once, one writes and the other changes nothing.
        var judged = await conn.ExecuteAsync("""
            UPDATE referrals SET status = @status, status_reason = @reason, paid_at = @now, hold_until = @holdUntil,
                order_subtotal_minor = @subtotal, updated_at = @now
            WHERE id = @id AND paid_at IS NULL AND status = 'pending'
            """, new
        {
            id = referral.Id, status, reason, now = now.ToUnixTimeMilliseconds(), holdUntil = holdUntil.ToUnixTimeMilliseconds(),
            subtotal = order.DiscountedSubtotalMinor
        }, tx);
        if (judged == 1)
        {
            await ReferralDecisions.RecordAsync(conn, tx, referral.Id, now.ToUnixTimeMilliseconds(), ReferralDecisions.EngineActor, action, status, reason);
            await conn.ExecuteAsync(db.Dialect.InsertChecks, new
            {
                id = referral.Id, now = now.ToUnixTimeMilliseconds(),
                checks = System.Text.Json.JsonSerializer.Serialize(checks.Select(c => new { r = c.Rule, o = c.Outcome, e = c.Evidence })),
            }, tx);
            // The release is asked for with the judgement: due when the hold ends (at once without one).
            if (status is "pending" or "approved")
                await jobs.EnqueueAsync(conn, tx, HoldSweeper.JobKind, referral.Id, order.Shop, status == "pending" ? holdUntil : now);
            // A referral in its hold tells nothing yet: it is approved (or voided) when the hold ends.
            var told = reject ?? review;
            if (status != "pending")
                await ReferralEvents.RecordAsync(events, conn, tx, referral, referrer, status switch
                {
                    "rejected" => Events.EventTypes.ReferralRejected,
                    "review" => Events.EventTypes.ReferralInReview,
                    _ => Events.EventTypes.ReferralApproved,
                }, told?.Rule);
        }
        await tx.CommitAsync(ct);
        if (judged == 1) log.LogInformation("Referral {Id} for order {Order} of {Shop}: {Status} ({Reason})", referral.Id, order.Name, order.Shop, status, reason);
    }

    private async Task VoidAsync(Referral referral, Referrer referrer, string reason, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var voided = await conn.ExecuteAsync("""
            UPDATE referrals SET status = 'voided', status_reason = @reason, updated_at = @now
            WHERE id = @id AND status IN ('pending', 'review', 'approved', 'rewarded')
            """, new { id = referral.Id, reason, now }, tx);
        if (voided == 1)
        {
            await ReferralDecisions.RecordAsync(conn, tx, referral.Id, now, ReferralDecisions.EngineActor, "void", "voided", reason);
            // A reward already out is clawed back; one not yet out is cancelled where it would be issued (IssueGate).
            await jobs.EnqueueAsync(conn, tx, Rewards.Clawback.JobKind, referral.Id, referral.Shop);
            await ReferralEvents.RecordAsync(events, conn, tx, referral, referrer, Events.EventTypes.ReferralVoided, reason: reason);
        }
        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// Right after a purchase is when a customer is most willing to share (docs/merchant-needs.md#share-right-after-the-purchase), so with the program's
    /// AutoEnrolPayingCustomers every paying customer gets a code. EnrolAsync is idempotent, so replays are harmless.
    /// </summary>
    private async Task AutoEnrolAsync(OrderFacts order, (string? First, string? Last) buyer, CancellationToken ct)
    {
        if (!order.IsPaid || order.Test || order.Cancelled || order.CustomerId is not { } customerId) return;
        var program = (await programs.GetActiveAsync(order.Shop, ct)).Settings;
        if (!program.AutoEnrolPayingCustomers || !program.Enabled) return;
        await referrers.EnrolAsync(order.Shop, customerId, order.Email, buyer.First, buyer.Last, ct: ct);
    }
}
