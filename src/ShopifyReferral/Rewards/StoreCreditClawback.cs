using Dapper;
using ShopifyReferral.Data;
using ShopifyReferral.Referrals;
using ShopifyReferral.Shopify;

namespace ShopifyReferral.Rewards;

/// <summary>
/// The clawback of one store credit reward: the credit is debited back, at most the balance in the reward's
/// currency (another currency's account is never touched). What was spent already is recorded as a loss, or, when
/// the program says spentCredit = debt, owed and taken from the referrer's next store credit rewards.
/// </summary>
public sealed class StoreCreditClawback(Db db, StoreCreditDebits debits, ProgramStore programs, Events.EventOutbox events, TimeProvider time)
{
    public async Task SettleAsync(long rewardId, CancellationToken ct)
    {
        Owed? w;
        await using (var conn = await db.OpenAsync(ct))
            w = await conn.QuerySingleOrDefaultAsync<Owed>("""
                SELECT w.id, w.shop, w.referrer_id, f.customer_id, w.amount_minor, w.currency FROM rewards w
                JOIN referrers f ON f.id = w.referrer_id WHERE w.id = @rewardId AND w.status = 'issued'
                """, new { rewardId });
        if (w is null) return;
        if (w.AmountMinor is not { } owed || w.Currency is null)
        {
            await RecordAsync(w, 0, 0, "loss", "The order was refunded; the credit's amount is unknown, so nothing was taken back.", ct);
            return;
        }
        long debited;
        try
        {
            debited = await debits.TakeAsync(w.Shop, $"clawback:{w.Id}", w.Id, null, w.CustomerId, w.Currency, owed, ct);
        }
        catch (ShopifyUserErrorException ex)
        {
            await RecordAsync(w, 0, owed, "loss", $"The order was refunded, but Shopify refused to debit the store credit: {ex.Message}", ct);
            return;
        }
        var spent = owed - debited;
        var asDebt = spent > 0 && (await programs.GetActiveAsync(w.Shop, ct)).Settings.SpentCredit == SpentCredit.Debt;
        var why = spent == 0
            ? $"The order was refunded; {Money.Format(debited, w.Currency)} {w.Currency} of store credit was taken back."
            : $"The order was refunded; {Money.Format(debited, w.Currency)} {w.Currency} of store credit was taken back and {Money.Format(spent, w.Currency)} {w.Currency} had been spent"
              + (asDebt ? ", owed from the referrer's next store credit rewards." : ", recorded as a loss.");
        await RecordAsync(w, debited, spent, spent == 0 ? "none" : asDebt ? "debt" : "loss", why, ct);
    }

    private async Task RecordAsync(Owed w, long debited, long spent, string spentAs, string why, CancellationToken ct)
    {
        var to = spentAs == "loss" ? "lost" : "clawed_back";
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        if (await conn.ExecuteAsync("UPDATE rewards SET status = @to, last_error = @why WHERE id = @id AND status = 'issued'", new { id = w.Id, to, why }, tx) == 1)
        {
            await conn.ExecuteAsync("""
                INSERT INTO store_credit_clawbacks (reward_id, shop, referrer_id, currency, owed_minor, debited_minor, spent_minor, spent_as, created_at)
                VALUES (@Id, @Shop, @ReferrerId, @currency, @owed, @debited, @spent, @spentAs, @now)
                """, new
            {
                w.Id, w.Shop, w.ReferrerId, currency = w.Currency ?? "", owed = w.AmountMinor ?? 0, debited, spent, spentAs,
                now = time.GetUtcNow().ToUnixTimeMilliseconds()
            }, tx);
            await RewardEvents.RecordAsync(events, conn, tx, w.Id, to == "lost" ? Events.EventTypes.RewardLost : Events.EventTypes.RewardClawedBack, why);
        }
        await tx.CommitAsync(ct);
    }

    private sealed record Owed(long Id, string Shop, long ReferrerId, long CustomerId, long? AmountMinor, string? Currency);
}
