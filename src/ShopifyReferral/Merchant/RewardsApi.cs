using System.Text.Json.Serialization;
using Dapper;
using ShopifyReferral.Data;
using ShopifyReferral.Merchant;

namespace ShopifyReferral.Merchant;

public sealed record RewardRow
{
    public long Id { get; init; }
    public long ReferrerId { get; init; }
    public long? ReferralId { get; init; }
    public long CustomerId { get; init; }
    public string? Email { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string Kind { get; init; } = "";
    public string RewardType { get; init; } = "";
    public string? Currency { get; init; }

    /// <summary>The face value: an amount with the currency's decimals ("7.50"), or a percentage ("15").</summary>
    public string? Value => AmountMinor is { } m ? Money.Format(m, Currency) : Percent;

    [System.Text.Json.Serialization.JsonIgnore]
    public long? AmountMinor { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public string? Percent { get; init; }

    public string? Code { get; init; }

    /// <summary>A free product's title (its product as the program named it, Shopify's title once issued).</summary>
    public string? ProductTitle { get; init; }

    /// <summary>The ledger status, except that an issued reward past its expiry reads "expired".</summary>
    public string Status { get; init; } = "";
    [JsonConverter(typeof(UnixMsJson))] public long? ExpiresAt { get; init; }
    [JsonConverter(typeof(UnixMsJson))] public long CreatedAt { get; init; }
    [JsonConverter(typeof(UnixMsJson))] public long? IssuedAt { get; init; }
    [JsonConverter(typeof(UnixMsJson))] public long? RedeemedAt { get; init; }
    public string? LastError { get; init; }
}

/// <summary>Rewards by status, and those still unused after N days (so the merchant can remind those customers).</summary>
public static class RewardsApi
{
    private static readonly HashSet<string> Statuses = ["owed", "issued", "redeemed", "expired", "clawed_back", "lost", "failed", "cancelled"];

    internal const string Select = """
        SELECT w.id, w.referrer_id, w.referral_id, r.customer_id, r.email, r.first_name, r.last_name, w.kind, w.reward_type, w.amount_minor,
               w.value AS "percent", w.currency, w.code, w.product_title,
               CASE WHEN w.status = 'issued' AND w.expires_at IS NOT NULL AND w.expires_at <= @now THEN 'expired' ELSE w.status END AS status,
               w.expires_at, w.created_at, w.issued_at, w.redeemed_at, w.last_error
        FROM rewards w JOIN referrers r ON r.id = w.referrer_id
        """;

    public static RouteGroupBuilder MapRewardsApi(this RouteGroupBuilder api)
    {
        var rewards = api.MapGroup("/rewards").WithTags("Rewards");
        rewards.MapGet("", List).WithSummary("Rewards, newest first, by status and date").Produces<List<RewardRow>>();
        rewards.MapGet("/unused", Unused).WithSummary("Issued reward codes not redeemed after N days").Produces<List<RewardRow>>();
        return api;
    }

    private static async Task<IResult> List(HttpContext http, Db db, TimeProvider time, string? status, int? limit)
    {
        if (status is not null && !Statuses.Contains(status))
            return Problems.Invalid("status", $"One of {string.Join(", ", Statuses)}.");
        await using var conn = await db.OpenAsync(http.RequestAborted);
        var rows = await conn.QueryAsync<RewardRow>(db.FirstRows($"""
            {Select}
            WHERE w.shop = @shop AND (@status IS NULL
                OR (@status = 'expired' AND w.status = 'issued' AND w.expires_at <= @now)
                OR (@status = 'issued' AND w.status = 'issued' AND (w.expires_at IS NULL OR w.expires_at > @now))
                OR (@status NOT IN ('expired', 'issued') AND w.status = @status))
            ORDER BY w.id DESC
            """), new { shop = http.ShopSession().Shop, status, now = time.GetUtcNow().ToUnixTimeMilliseconds(), limit = Math.Clamp(limit ?? 100, 1, 1000) });
        return TypedResults.Ok(rows.AsList());
    }

    /// <summary>Issued at least <paramref name="days"/> days ago, not redeemed, not expired: worth a reminder.</summary>
    private static async Task<IResult> Unused(HttpContext http, Db db, TimeProvider time, int? days)
    {
        if (days is null or < 0 or > 3650) return Problems.Invalid("days", "Required: a whole number of days from 0 to 3650.");
        var now = time.GetUtcNow();
        await using var conn = await db.OpenAsync(http.RequestAborted);
        var rows = await conn.QueryAsync<RewardRow>($"""
            {Select}
            WHERE w.shop = @shop AND w.status = 'issued' AND w.issued_at <= @before AND (w.expires_at IS NULL OR w.expires_at > @now)
            ORDER BY w.issued_at, w.id
            """, new { shop = http.ShopSession().Shop, now = now.ToUnixTimeMilliseconds(), before = now.AddDays(-days.Value).ToUnixTimeMilliseconds() });
        return TypedResults.Ok(rows.ToList());
    }
}
