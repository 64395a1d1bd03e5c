using System.Text.Json.Serialization;
using Dapper;
using ShopifyReferral.Data;
using ShopifyReferral.Merchant;
using ShopifyReferral.Referrals;

namespace ShopifyReferral.Dashboard;

public sealed record ReferrerRow
{
    public long Id { get; init; }
    public long CustomerId { get; init; }
    public string? Email { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string Code { get; init; } = "";
    public string CodeStatus { get; init; } = "";
    public string? CodeError { get; init; }

    [JsonIgnore]
    public string? CodeShopifyState { get; init; }

    /// <summary>pending, failed, active, deactivating, inactive or activating (Referrer.CodeStateOf).</summary>
    public string CodeState => Referrer.CodeStateOf(CodeStatus, Blocked, CodeShopifyState);
    public bool Blocked { get; init; }
    public string? BlockedReason { get; init; }
    [JsonConverter(typeof(UnixMsJson))] public long EnrolledAt { get; init; }
    public long Referrals { get; init; }
    public long Rewarded { get; init; }
}

public sealed record BlockRequest(string? Reason);

/// <summary>
/// Referrers: search by email, name or code; block and unblock. A blocked referrer's code is switched off in Shopify
/// (in the background: codeState shows "deactivating" until Shopify confirmed) and their new referrals are rejected.
/// </summary>
public static class ReferrersApi
{
    public static RouteGroupBuilder MapReferrersApi(this RouteGroupBuilder api)
    {
        api.MapGet("/referrers", Search);
        api.MapPost("/referrers/{id:long}/block", (long id, BlockRequest? body, HttpContext http, ReferrerService referrers) => SetBlocked(id, true, body?.Reason, http, referrers));
        api.MapPost("/referrers/{id:long}/unblock", (long id, HttpContext http, ReferrerService referrers) => SetBlocked(id, false, null, http, referrers));
        return api;
    }

    private static async Task<IResult> Search(HttpContext http, Db db, string? q, bool? blocked, int? limit)
    {
        var shop = http.ShopSession().Shop;
        await using var conn = await db.OpenAsync(http.RequestAborted);
        // The pattern is a parameter (no string-built SQL); the dialect's LIKE ignores case (ILIKE on PostgreSQL).
        var rows = await conn.QueryAsync<ReferrerRow>(db.FirstRows($"""
            SELECT r.id, r.customer_id, r.email, r.first_name, r.last_name, r.code, r.code_status, r.code_error, r.code_shopify_state,
                   r.blocked, r.blocked_reason, r.enrolled_at,
                   (SELECT COUNT(*) FROM referrals x WHERE x.referrer_id = r.id) AS referrals,
                   (SELECT COUNT(*) FROM referrals x WHERE x.referrer_id = r.id AND x.status = 'rewarded') AS rewarded
            FROM referrers r
            WHERE r.shop = @shop
              AND (@pattern IS NULL OR {db.Dialect.LikeIgnoringCase("r.email", "@pattern")} OR {db.Dialect.LikeIgnoringCase("r.code", "@pattern")}
                   OR {db.Dialect.LikeIgnoringCase("r.first_name", "@pattern")} OR {db.Dialect.LikeIgnoringCase("r.last_name", "@pattern")})
              AND (@blocked IS NULL OR r.blocked = @blocked)
            ORDER BY r.id DESC
            """), new { shop, pattern = string.IsNullOrWhiteSpace(q) ? null : "%" + q.Trim() + "%", blocked, limit = Math.Clamp(limit ?? 100, 1, 500) });
        return TypedResults.Ok(rows.AsList());
    }

    private static async Task<IResult> SetBlocked(long id, bool blocked, string? reason, HttpContext http, ReferrerService referrers)
    {
        if (blocked && string.IsNullOrWhiteSpace(reason)) return Problems.Invalid("reason", "Say why the referrer is blocked: {\"reason\": \"...\"}.");
        var r = await referrers.SetBlockedByIdAsync(http.ShopSession().Shop, id, blocked, blocked ? reason!.Trim() : null, http.RequestAborted);
        return r is null
            ? Problems.NotFound($"No referrer {id} in this shop.")
            : TypedResults.Ok(new { id, blocked, reason = r.BlockedReason, codeState = r.CodeState });
    }
}
