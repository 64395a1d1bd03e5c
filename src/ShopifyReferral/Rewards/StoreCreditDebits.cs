using Dapper;
using ShopifyReferral.Data;
using ShopifyReferral.Shopify;
using ShopifyReferral.Shops;

namespace ShopifyReferral.Rewards;

/// <summary>
/// Takes store credit back, at most once per key. Shopify keeps no key of ours on a debit, so the row is written
/// in_flight (a durable commit) before the call; a row found in_flight is looked for among the account's own debits
/// (ADJUSTMENT, that amount, since the row was written, not recorded under another key) before the debit is sent again.
/// The debit is never more than the balance: Shopify would refuse it, and spent credit cannot be taken back.
/// </summary>
public sealed class StoreCreditDebits(Db db, StoreCreditAdmin shopify, TimeProvider time)
{
    /// <summary>Lets a clock that differs from Shopify's by this much still find our debit.</summary>
    private static readonly TimeSpan ClockSlack = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Debits up to <paramref name="wantedMinor"/> from the customer's account in <paramref name="currency"/>; returns
    /// what was taken (0: no account in that currency, or nothing left on it). Running it again returns the same.
    /// </summary>
    public async Task<long> TakeAsync(string shop, string key, long rewardId, long? againstRewardId, long customerId, string currency,
        long wantedMinor, CancellationToken ct, int retries = 2)
    {
        var customerGid = $"gid://shopify/Customer/{customerId}";
        var row = await FindAsync(key, ct);
        if (row is { Status: "done" }) return row.AmountMinor;
        var accounts = await shopify.AccountsAsync(shop, customerGid, ct);
        if (row is not null)
        {
            var account = accounts.FirstOrDefault(a => a.Gid == row.AccountGid);
            var amount = Money.FromMinor(row.AmountMinor, currency);
            var since = DateTimeOffset.FromUnixTimeMilliseconds(row.StartedAt) - ClockSlack;
            var taken = await TakenGidsAsync(shop, ct);
            if (account?.Debits.FirstOrDefault(d => d.Event == "ADJUSTMENT" && d.Amount == amount && d.CreatedAt >= since
                    && d.Gid is not null && !taken.Contains(d.Gid)) is { } landed)
                return await DoneAsync(row.Id, landed.Gid!, row.AmountMinor, ct);
            await ForgetAsync(row.Id, ct); // it never landed: the debit is sent afresh below, against today's balance
        }
        if (accounts.FirstOrDefault(a => a.Currency == currency) is not { } target) return 0;
        var debit = Math.Min(wantedMinor, Money.ToMinor(target.Balance, currency));
        if (debit <= 0) return 0;
        var id = await MarkInFlightAsync(shop, key, rewardId, againstRewardId, target.Gid, currency, debit, ct);
        string gid;
        try
        {
            gid = await shopify.DebitAsync(shop, target.Gid, Money.FromMinor(debit, currency), currency, ct);
        }
        catch (Exception ex) when (ex is ShopifyUserErrorException || NeverReachedShopify(ex))
        {
            // Shopify ran nothing (it refused, or never got that far): the marker goes; a refusal is the caller's to record.
            await ForgetAsync(id, ct);
            // The customer spent some between our read and the debit: read the balance again and take what is left.
            if (retries > 0 && ex is ShopifyUserErrorException u && u.UserErrors.Any(e => e.Code == "INSUFFICIENT_FUNDS"))
                return await TakeAsync(shop, key, rewardId, againstRewardId, customerId, currency, wantedMinor, ct, retries - 1);
            throw;
        }
        return await DoneAsync(id, gid, debit, ct);
    }

    private static bool NeverReachedShopify(Exception ex) =>
        ex is ShopifyThrottledException or ShopifyHttpException { Status: System.Net.HttpStatusCode.TooManyRequests } or ShopifyOAuthException;

    private async Task<Row?> FindAsync(string key, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<Row>(
            "SELECT id, account_gid, amount_minor, status, started_at FROM store_credit_debits WHERE debit_key = @key", new { key });
    }

    private async Task<HashSet<string>> TakenGidsAsync(string shop, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        return [.. await conn.QueryAsync<string>("SELECT transaction_gid FROM store_credit_debits WHERE shop = @shop AND transaction_gid IS NOT NULL", new { shop })];
    }

    private async Task<long> MarkInFlightAsync(string shop, string key, long rewardId, long? againstRewardId, string accountGid, string currency,
        long amountMinor, CancellationToken ct)
    {
        // The marker must survive a power loss, or a retry could debit twice (SQLite: a durable commit).
        await using var conn = await db.OpenAsync(SqliteUse.Durable, ct);
        // The UNIQUE key: a second writer of the same debit fails here, before any call to Shopify.
        await conn.ExecuteAsync("""
            INSERT INTO store_credit_debits (shop, debit_key, reward_id, against_reward_id, account_gid, currency, amount_minor, status, started_at)
            VALUES (@shop, @key, @rewardId, @againstRewardId, @accountGid, @currency, @amountMinor, 'in_flight', @now)
            """, new { shop, key, rewardId, againstRewardId, accountGid, currency, amountMinor, now = time.GetUtcNow().ToUnixTimeMilliseconds() });
        return await conn.ExecuteScalarAsync<long>("SELECT id FROM store_credit_debits WHERE debit_key = @key", new { key });
    }

    private async Task<long> DoneAsync(long id, string gid, long amountMinor, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        await conn.ExecuteAsync("UPDATE store_credit_debits SET status = 'done', transaction_gid = @gid, done_at = @now WHERE id = @id",
            new { id, gid, now = time.GetUtcNow().ToUnixTimeMilliseconds() });
        return amountMinor;
    }

    private async Task ForgetAsync(long id, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        await conn.ExecuteAsync("DELETE FROM store_credit_debits WHERE id = @id AND status = 'in_flight'", new { id });
    }

    private sealed record Row(long Id, string AccountGid, long AmountMinor, string Status, long StartedAt);
}
