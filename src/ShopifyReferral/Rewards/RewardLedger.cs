using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using ShopifyReferral.Data;
using ShopifyReferral.Referrals;

namespace ShopifyReferral.Rewards;

/// <summary>
/// Writes down what is owed before anything is sent to Shopify. The idempotency key ('{referral}:referral',
/// '{referrer}:milestone:{n}') is UNIQUE per shop, so owing twice is a no-op whoever asks, however often. A reward
/// and the job that issues it commit together.
/// </summary>
public sealed class RewardLedger(Db db, ProgramStore programs, Jobs.JobQueue jobs, Events.EventOutbox events, TimeProvider time)
{
    /// <summary>Every reward code starts so; an order with no such code cannot spend a reward (no write needed to know).</summary>
    public const string RewardCodePrefix = "THANKS-";

    public static bool IsRewardCode(string code) => code.StartsWith(RewardCodePrefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>A code derived from the key alone: a retry after a crash finds the code it created before.</summary>
    public static string CodeFor(string shop, string key)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(shop + "|" + key));
        var chars = new char[10];
        for (var i = 0; i < chars.Length; i++) chars[i] = ReferralCodes.Alphabet[hash[i] % ReferralCodes.Alphabet.Length];
        return RewardCodePrefix + new string(chars);
    }

    /// <summary>
    /// A gift card's code, derived from the key alone like a discount code's: letters and digits only (Shopify takes
    /// 8-20 of them), unique in the shop, so an attempt whose answer was lost is found again by it.
    /// </summary>
    public static string GiftCardCodeFor(string shop, string key) => CodeFor(shop, key).Replace("-", "", StringComparison.Ordinal);

    /// <summary>
    /// Owes what every approved referral without its reward calls for, each in its own transaction (see
    /// <see cref="OweForReferralAsync"/>). The release job owes as it approves; this catches up on approvals written
    /// some other way. Returns how many rewards it owed.
    /// </summary>
    public async Task<int> OweApprovedAsync(CancellationToken ct)
    {
        List<(long Id, string Shop, long ReferrerId, int ProgramVersion, string? Currency)> approved;
        await using (var conn = await db.OpenAsync(ct))
            approved = (await conn.QueryAsync<(long, string, long, int, string?)>("""
                SELECT r.id, r.shop, r.referrer_id, r.program_version, r.currency FROM referrals r
                WHERE r.status = 'approved'
                  AND NOT EXISTS (SELECT 1 FROM rewards w WHERE w.shop = r.shop AND w.idempotency_key = CONCAT(r.id, ':referral'))
                """)).AsList();
        var owed = 0;
        foreach (var r in approved)
        {
            await using var conn = await db.OpenAsync(ct);
            await using var tx = await conn.BeginTransactionAsync(ct);
            owed += await OweForReferralAsync(conn, tx, r.Shop, r.Id, r.ReferrerId, r.ProgramVersion, r.Currency, ct);
            await tx.CommitAsync(ct);
        }
        return owed;
    }

    /// <summary>
    /// In the caller's transaction, for one approved referral: its reward and any milestone reached are owed, each with
    /// its reward.issue job; one already issued (a crash between the two writes, a restore) makes the referral rewarded
    /// instead. Together, because once the referral's reward exists the referral is not looked at again, so a milestone
    /// owed separately would be lost by any failure in between. Returns how many rewards were owed.
    /// </summary>
    public async Task<int> OweForReferralAsync(DbConnection conn, DbTransaction tx, string shop, long referralId, long referrerId,
        int programVersion, string? currency, CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (await ReferralDecisions.MarkRewardedAsync(conn, tx, referralId, now, "Its reward had already been issued.", onlyIfIssued: true)) return 0;
        var program = (await programs.FindAsync(shop, programVersion, ct))!.Settings;
        var owed = await OweAsync(conn, tx, shop, $"{referralId}:referral", referrerId, referralId, "referral", program.Reward, currency) ? 1 : 0;
        return owed + await OweMilestonesAsync(conn, tx, shop, referrerId, referralId, program, currency);
    }

    private async Task<int> OweMilestonesAsync(DbConnection conn, DbTransaction tx, string shop, long referrerId, long referralId, ProgramSettings program, string? currency)
    {
        if (program.Milestones.Count == 0) return 0;
        var successful = await conn.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM referrals WHERE referrer_id = @referrerId AND status IN ('approved', 'rewarded')", new { referrerId }, tx);
        var owed = 0;
        foreach (var m in program.Milestones.Where(m => successful >= m.At))
            if (await OweAsync(conn, tx, shop, $"{referrerId}:milestone:{m.At}", referrerId, referralId, "milestone", m.Reward, currency)) owed++;
        return owed;
    }

    private async Task<bool> OweAsync(DbConnection conn, DbTransaction tx, string shop, string key, long referrerId, long? referralId, string kind, ReferrerReward reward, string? currency)
    {
        var now = time.GetUtcNow();
        currency = reward.Currency ?? currency; // the program's reward currency, else the order's: never a made-up one
        try
        {
            var inserted = await conn.ExecuteAsync($"""
                INSERT INTO rewards (shop, idempotency_key, referrer_id, referral_id, kind, reward_type, value, amount_minor, currency, code,
                                     status, expires_at, due_at, created_at, product_gid, product_title)
                SELECT @shop, @key, @referrerId, @referralId, @kind, @type, @value, @amount, @currency, @code, 'owed', @expires, @now, @now,
                       @productGid, @productTitle
                WHERE NOT EXISTS (SELECT 1 FROM rewards WHERE shop = @shop AND idempotency_key = @key)
                {db.Dialect.SkipDuplicates}
                """, new
            {
                shop, key, referrerId, referralId, kind,
                currency,
                type = ProgramStore.EnumName(reward.Type),
                // Money rewards keep their face value in minor units; value holds only what is not money (a percentage).
                value = RewardTypes.IsMoney(reward.Type) ? null : reward.Value.ToString(CultureInfo.InvariantCulture),
                amount = RewardTypes.IsMoney(reward.Type) ? Money.ToMinor(reward.Value, currency) : (long?)null,
                code = reward.Type == RewardType.GiftCard ? GiftCardCodeFor(shop, key) : RewardTypes.CodeKind(reward.Type) is null ? null : CodeFor(shop, key),
                expires = reward.Type != RewardType.GiftCard && RewardTypes.CodeKind(reward.Type) is null ? (long?)null
                    : now.AddDays(reward.ExpiresInDays).ToUnixTimeMilliseconds(),
                productGid = reward.Type == RewardType.FreeProduct ? reward.ProductId : null,
                productTitle = reward.Type == RewardType.FreeProduct ? reward.ProductTitle : null,
                now = now.ToUnixTimeMilliseconds(),
            }, tx) == 1;
            if (inserted)
            {
                var id = await conn.ExecuteScalarAsync<long>("SELECT id FROM rewards WHERE shop = @shop AND idempotency_key = @key", new { shop, key }, tx);
                await jobs.EnqueueAsync(conn, tx, RewardIssuer.JobKind, id, shop);
                await RewardEvents.RecordAsync(events, conn, tx, id, Events.EventTypes.RewardOwed);
            }
            return inserted;
        }
        catch (DbException ex) when (db.Dialect.IsUniqueViolation(ex))
        {
            // Another worker owed it between our check and our insert: the UNIQUE key held. Only that is "already
            // owed"; anything else (a locked database) must surface, or a milestone whose insert failed would never
            // be owed: its referral is already rewarded and is not looked at again.
            return false;
        }
    }

    /// <summary>A later order that used a reward code: the reward has been spent (each reward once, with its event).</summary>
    public async Task MarkRedeemedAsync(string shop, long orderId, IReadOnlyCollection<string> codes, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var ids = (await conn.QueryAsync<long>($"SELECT id FROM rewards WHERE shop = @shop AND {db.Dialect.InList("code", "@codes")} AND status = 'issued'",
            new { shop, codes = codes.ToArray() }, tx)).AsList();
        foreach (var id in ids)
            if (await conn.ExecuteAsync("""
                    UPDATE rewards SET status = 'redeemed', redeemed_at = @now, redeemed_order_id = @orderId WHERE id = @id AND status = 'issued'
                    """, new { id, orderId, now = time.GetUtcNow().ToUnixTimeMilliseconds() }, tx) == 1)
                await RewardEvents.RecordAsync(events, conn, tx, id, Events.EventTypes.RewardRedeemed);
        await tx.CommitAsync(ct);
    }
}
