using System.Data.Common;
using Dapper;
using ShopifyReferral.Data;

namespace ShopifyReferral.Storefront;

/// <summary>
/// Records one click on a shared link: its row in share_clicks and its count in share_click_days (migration 0055),
/// in one transaction, so the day counter always equals its day's rows (the report reads the counter for whole-day
/// ranges and the rows otherwise: Analytics/RollupQueries.cs). Inside a unit of work the transaction is a savepoint
/// of the unit's. Times are Unix ms; the day is days since 1970, truncated as the SQL's integer division does.
/// </summary>
internal static class ShareClicks
{
    public static async Task RecordAsync(DbConnection conn, string shop, long referrerId, string code, string channel, string? ipHash,
        long at, CancellationToken ct = default)
    {
        await using var tx = await conn.BeginTransactionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO share_clicks (shop, referrer_id, code, channel, ip_hash, clicked_at)
            VALUES (@shop, @referrerId, @code, @channel, @ipHash, @at)
            """, new { shop, referrerId, code, channel, ipHash, at }, tx, cancellationToken: ct));
        await conn.ExecuteAsync(new CommandDefinition(SqlDialect.Of(conn).CountShareClick,
            new { shop, day = at / Referrals.AnalyticsRollups.DayMs, channel }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
    }
}
