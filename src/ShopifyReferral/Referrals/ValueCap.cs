using System.Data.Common;
using System.Globalization;
using Dapper;
using ShopifyReferral.Data;

namespace ShopifyReferral.Referrals;

/// <summary>
/// The yearly cap on reward value per referrer (Koodo's $300), in the shop's currency: the money rewards owed or
/// issued to the referrer this calendar year and not clawed back (a lost one was given and not got back, so it
/// counts), plus the reward each of their referrals still in the hold will earn, plus this referral's own. A
/// percentage or free-shipping reward has no fixed value and counts for nothing here (the count cap bounds those).
/// </summary>
internal static class ValueCap
{
    public static async Task<Check> CheckAsync(DbConnection conn, OrderFacts order, Referrer referrer, ProgramSettings program, long referralId)
    {
        if (program.YearlyValueCapPerReferrer is not { } cap) return Check.Pass("value_cap", "The program has no yearly cap on reward value.");
        var currency = order.Currency;
        var year = DateTimeOffset.FromUnixTimeMilliseconds(order.CreatedAt ?? order.OrderUpdatedAt).Year;
        var start = new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var end = new DateTimeOffset(year + 1, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        // ix_rewards_referrer: the referrer's rewards only, which the cap itself keeps few.
        var issuedMinor = await conn.ExecuteScalarAsync<long?>("""
            SELECT SUM(amount_minor) FROM rewards
            WHERE referrer_id = @rid AND status IN ('owed', 'issued', 'redeemed', 'lost') AND currency = @currency
              AND created_at >= @start AND created_at < @end
            """, new { rid = referrer.Id, currency, start, end }) ?? 0;
        var waiting = await conn.ExecuteScalarAsync<long>("""
            SELECT COUNT(*) FROM referrals r
            WHERE r.referrer_id = @rid AND r.id <> @referralId AND r.status IN ('pending', 'review', 'approved')
              AND r.paid_at >= @start AND r.paid_at < @end
              AND NOT EXISTS (SELECT 1 FROM rewards w WHERE w.referral_id = r.id AND w.kind = 'referral')
            """, new { rid = referrer.Id, referralId, start, end });
        var issued = Money.FromMinor(issuedMinor, currency);
        var each = Worth(program.Reward, currency);
        var onHold = waiting * each;
        var held = waiting > 0 ? $" and {waiting} referral(s) worth {Amount(onHold, currency)} in the hold" : "";
        if (issued + onHold + each > cap)
            return new("value_cap", "reject",
                $"yearly reward cap of {Amount(cap, currency)} reached: {Amount(issued, currency)} issued this year{held}" +
                (issued + onHold >= cap ? "." : $", so this referral's {Amount(each, currency)} would pass it."));
        return Check.Pass("value_cap", $"{Amount(issued, currency)} issued this year{held}; with this referral's {Amount(each, currency)}, within the yearly cap of {Amount(cap, currency)}.");
    }

    /// <summary>What a reward is worth for the cap: its face value in the cap's currency (a free product at its price).</summary>
    internal static decimal Worth(ReferrerReward r, string? currency) =>
        RewardTypes.IsMoney(r.Type) && (r.Currency is null || r.Currency == currency) ? r.Value : 0m;

    private static string Amount(decimal value, string? currency) =>
        value.ToString(value == decimal.Truncate(value) ? "0" : "0.00", CultureInfo.InvariantCulture) + (currency is { Length: > 0 } ? " " + currency : "");
}
