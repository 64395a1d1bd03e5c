using Dapper;
using ShopifyReferral.Data;

namespace ShopifyReferral.Referrals;

public sealed record Referral
{
    public long Id { get; init; }
    public string Shop { get; init; } = "";
    public long OrderId { get; init; }
    public string? OrderName { get; init; }
    public long ReferrerId { get; init; }
    public string Code { get; init; } = "";
    public long? FriendCustomerId { get; init; }
    public string? FriendEmail { get; init; }
    public int ProgramVersion { get; init; }
    public string Status { get; init; } = "";
    public string? StatusReason { get; init; }
    public string? Currency { get; init; }
    public long? OrderSubtotalMinor { get; init; }
    public long? PaidAt { get; init; }
    public long? HoldUntil { get; init; }
    public long CreatedAt { get; init; }
}

/// <summary>Reads of referrals and referrers shared by the engine, the sweepers and the merchant API.</summary>
public static class ReferralStore
{
    private const string ReferralColumns = """
        id, shop, order_id, order_name, referrer_id, code, friend_customer_id, friend_email, program_version, status,
        status_reason, currency, order_subtotal_minor, paid_at, hold_until, created_at
        """;

    /// <summary>The referral of an order; parameters shop and orderId.</summary>
    internal const string SelectByOrder = $"SELECT {ReferralColumns} FROM referrals WHERE shop = @shop AND order_id = @orderId";

    internal const string SelectReferrer = "SELECT * FROM referrers WHERE id = @id";

    public static async Task<Referral?> FindByOrderAsync(Db db, string shop, long orderId, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<Referral>(SelectByOrder, new { shop, orderId });
    }

    public static async Task<IReadOnlyList<Check>> ChecksAsync(Db db, long referralId, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        return (await conn.QueryAsync<Check>(
            """SELECT "rule", outcome, evidence FROM referral_checks WHERE referral_id = @referralId ORDER BY "rule" """, new { referralId })).AsList();
    }

    public static async Task<Referrer?> FindReferrerAsync(Db db, long id, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<Referrer>(SelectReferrer, new { id });
    }
}
