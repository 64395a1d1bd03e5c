using System.Data.Common;
using Dapper;

namespace ShopifyReferral.Referrals;

/// <summary>
/// The analytics facts kept on each order row (migration 0050): counted (neither a test nor cancelled, and it has
/// a time), referred (a referral that was not rejected exists for it) and revenue_minor (the subtotal after
/// discounts and refunds, before tax and shipping), and of its referral when not rejected the referrer, the channel
/// and whether it is rewarded (migration 0054: top referrers and the funnel read the order rows alone). Each write recomputes them from the row and its referral in
/// one statement on the caller's connection, so they commit or roll back with the change that moved them (inside
/// a webhook batch, the unit's transaction and the row's savepoint). Recomputing from source rather than adding
/// a delta keeps them right whatever order deliveries and workers come in.
/// </summary>
public static class OrderAnalyticsFacts
{
    private const string Set = """
        UPDATE orders SET
            counted = CASE WHEN test = 0 AND cancelled = 0 AND created_at IS NOT NULL THEN 1 ELSE 0 END,
            referred = CASE WHEN EXISTS (SELECT 1 FROM referrals r WHERE r.shop = orders.shop AND r.order_id = orders.order_id AND r.status <> 'rejected') THEN 1 ELSE 0 END,
            revenue_minor = COALESCE(discounted_subtotal_minor, subtotal_minor, 0),
            referral_referrer_id = (SELECT r.referrer_id FROM referrals r WHERE r.shop = orders.shop AND r.order_id = orders.order_id AND r.status <> 'rejected'),
            referral_channel = (SELECT r.channel FROM referrals r WHERE r.shop = orders.shop AND r.order_id = orders.order_id AND r.status <> 'rejected'),
            referral_rewarded = CASE WHEN EXISTS (SELECT 1 FROM referrals r WHERE r.shop = orders.shop AND r.order_id = orders.order_id AND r.status = 'rewarded') THEN 1 ELSE 0 END
        """;

    /// <summary>After the order row (or its referral) was written.</summary>
    public static async Task RefreshOrderAsync(DbConnection conn, DbTransaction? tx, string shop, long orderId)
    {
        await conn.ExecuteAsync(Set + " WHERE shop = @shop AND order_id = @orderId", new { shop, orderId }, tx);
        await AnalyticsRollups.RefreshOrderAsync(conn, tx, shop, orderId);
    }

    /// <summary>After a referral's status changed (a rejection, or a rejection undone).</summary>
    public static async Task RefreshReferralAsync(DbConnection conn, DbTransaction? tx, long referralId)
    {
        var order = await conn.QuerySingleOrDefaultAsync<(string Shop, long OrderId)?>(
            "SELECT shop, order_id FROM referrals WHERE id = @referralId", new { referralId }, tx);
        if (order is { } o) await RefreshOrderAsync(conn, tx, o.Shop, o.OrderId);
    }

    /// <summary>
    /// Recomputes every order's facts: for a database whose rows were written outside the app (an import, a restore
    /// of older rows). `dotnet run --project src/ShopifyReferral -- analytics rebuild` (README, "Analytics").
    /// </summary>
    public static async Task<int> RebuildAsync(DbConnection conn, CancellationToken ct = default)
    {
        await using var tx = await conn.BeginTransactionAsync(ct);
        var n = await conn.ExecuteAsync(new CommandDefinition(Set, transaction: tx, cancellationToken: ct, commandTimeout: 0));
        await AnalyticsRollups.RebuildAsync(conn, tx, ct);
        await tx.CommitAsync(ct);
        return n;
    }

    /// <summary>The CLI verb: rebuilds on a connection of its own, prints the count, exit code 0.</summary>
    public static async Task<int> RebuildAsync(Data.Db db)
    {
        await using var conn = await db.OpenAsync();
        Console.WriteLine($"analytics rebuild: {await RebuildAsync(conn)} orders and their rollups recomputed");
        return 0;
    }
}
