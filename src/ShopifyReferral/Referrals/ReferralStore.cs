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

    public static async Task<Referral?> FindByOrderAsync(Db db, string shop, long orderId, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<Referral>(
            $"SELECT {ReferralColumns} FROM referrals WHERE shop = @shop AND order_id = @orderId", new { shop, orderId });
    }

    public static async Task<IReadOnlyList<Referral>> ListAsync(Db db, string shop, string? status, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        return (await conn.QueryAsync<Referral>(
            $"SELECT {ReferralColumns} FROM referrals WHERE shop = @shop AND (@status IS NULL OR status = @status) ORDER BY id DESC",
            new { shop, status })).AsList();
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
        return await conn.QuerySingleOrDefaultAsync<Referrer>("SELECT * FROM referrers WHERE id = @id", new { id });
    }
}
