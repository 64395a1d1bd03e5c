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
/// '{referrer}:milestone:{n}') is UNIQUE per shop, so owing twice is a no-op whoever asks, however often.
/// </summary>
public sealed class RewardLedger(Db db, ProgramStore programs, TimeProvider time)
{
    /// <summary>A code derived from the key alone: a retry after a crash finds the code it created before.</summary>
    public static string CodeFor(string shop, string key)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(shop + "|" + key));
        var chars = new char[10];
        for (var i = 0; i < chars.Length; i++) chars[i] = ReferralCodes.Alphabet[hash[i] % ReferralCodes.Alphabet.Length];
        return "THANKS-" + new string(chars);
    }

    /// <summary>
    /// Owes a reward for every approved referral that has none yet, and any milestone reached, both in one
    /// transaction: once the referral's reward exists the referral is not looked at again, so a milestone owed
    /// separately would be lost by any failure in between.
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
        await HealAsync(ct);
        var owed = 0;
        foreach (var r in approved)
        {
            var program = (await programs.FindAsync(r.Shop, r.ProgramVersion, ct))!.Settings;
            await using var conn = await db.OpenAsync(ct);
            await using var tx = await conn.BeginTransactionAsync(ct);
            if (await OweAsync(conn, tx, r.Shop, $"{r.Id}:referral", r.ReferrerId, r.Id, "referral", program.Reward, r.Currency)) owed++;
            owed += await OweMilestonesAsync(conn, tx, r.Shop, r.ReferrerId, r.Id, program, r.Currency);
            await tx.CommitAsync(ct);
        }
        return owed;
    }

    /// <summary>An approved referral whose reward already went out (a crash between the two writes, a restore) is rewarded.</summary>
    private async Task HealAsync(CancellationToken ct)
    {
        const string Issued = """
            EXISTS (SELECT 1 FROM rewards w WHERE w.referral_id = referrals.id AND w.kind = 'referral' AND w.status IN ('issued', 'redeemed'))
            """;
        await using var conn = await db.OpenAsync(ct);
        var heal = (await conn.QueryAsync<long>($"SELECT id FROM referrals WHERE status = 'approved' AND {Issued}")).AsList();
        if (heal.Count == 0) return;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var tx = await conn.BeginTransactionAsync(ct);
        foreach (var id in heal)
            if (await conn.ExecuteAsync($"UPDATE referrals SET status = 'rewarded' WHERE id = @id AND status = 'approved' AND {Issued}", new { id }, tx) == 1)
                await ReferralDecisions.RecordAsync(conn, tx, id, now, ReferralDecisions.SystemActor, "reward", "rewarded", "Its reward had already been issued.");
        await tx.CommitAsync(ct);
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
            return await conn.ExecuteAsync("""
                INSERT INTO rewards (shop, idempotency_key, referrer_id, referral_id, kind, reward_type, value, amount_minor, currency, code,
                                     status, expires_at, due_at, created_at)
                SELECT @shop, @key, @referrerId, @referralId, @kind, @type, @value, @amount, @currency, @code, 'owed', @expires, @now, @now
                WHERE NOT EXISTS (SELECT 1 FROM rewards WHERE shop = @shop AND idempotency_key = @key)
                """, new
            {
                shop, key, referrerId, referralId, kind,
                currency,
                type = ProgramStore.EnumName(reward.Type),
                // Money rewards keep their face value in minor units; value holds only what is not money (a percentage).
                value = IsMoney(reward.Type) ? null : reward.Value.ToString(CultureInfo.InvariantCulture),
                amount = IsMoney(reward.Type) ? Money.ToMinor(reward.Value, currency) : (long?)null,
                code = RewardTypes.CodeKind(reward.Type) is null ? null : CodeFor(shop, key),
                expires = RewardTypes.CodeKind(reward.Type) is null ? (long?)null : now.AddDays(reward.ExpiresInDays).ToUnixTimeMilliseconds(),
                now = now.ToUnixTimeMilliseconds(),
            }, tx) == 1;
        }
        catch (DbException ex) when (IsUniqueViolation(ex))
        {
            return false; // another worker owed it between our check and our insert: the UNIQUE key held
        }
    }

    // Every type listed (no catch-all), so a new reward type must say whether it is money.
    internal static bool IsMoney(RewardType type) => type switch
    {
        RewardType.FixedAmount or RewardType.StoreCredit => true,
        RewardType.Percentage or RewardType.FreeShipping => false,
    };

    // Only the UNIQUE key is "already owed"; anything else (a locked database, a full disk, another constraint) must
    // surface and roll the referral's reward back with it, or a milestone whose insert failed would never be owed.
    private static bool IsUniqueViolation(DbException ex) => ex switch
    {
        Microsoft.Data.Sqlite.SqliteException s => s.SqliteExtendedErrorCode is 2067 or 1555, // SQLITE_CONSTRAINT_UNIQUE, _PRIMARYKEY
        Microsoft.Data.SqlClient.SqlException s => s.Number is 2627 or 2601,
        _ => false,
    };
}
