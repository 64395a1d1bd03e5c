using System.Text.Json.Serialization;
using Dapper;
using Microsoft.Extensions.Options;
using ShopifyReferral.Data;
using ShopifyReferral.Referrals;
using ShopifyReferral.Shopify;
using ShopifyReferral.Storefront;

namespace ShopifyReferral.Merchant;

public sealed record EnrolRequest(long? CustomerId, string? Email, string? FirstName, string? LastName, string? Code);

/// <summary>A referrer as the merchant API answers it. ShareLink is tracked (/r/{code}); DiscountLink goes straight to the shop.</summary>
public sealed record ReferrerResponse(
    long Id, long CustomerId, string? Email, string? FirstName, string? LastName, string Code, string CodeStatus, string? CodeError,
    string CodeState, string ShareLink, string DiscountLink, bool Blocked, string? BlockedReason, DateTimeOffset EnrolledAt)
{
    public IReadOnlyList<ShopperReferral>? Referrals { get; init; }
    public IReadOnlyList<ShopperReward>? Rewards { get; init; }

    public static ReferrerResponse From(Referrer r, string appUrl) => new(
        r.Id, r.CustomerId, r.Email, r.FirstName, r.LastName, r.Code, r.CodeStatus, r.CodeError, r.CodeState,
        ShareLinks.Tracked(appUrl, r.Shop, r.Code, "link"), r.ShareLink, r.Blocked, r.BlockedReason,
        DateTimeOffset.FromUnixTimeMilliseconds(r.EnrolledAt));
}

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

public sealed record BlockAnswer(long Id, bool Blocked, string? Reason, string CodeState);

/// <summary>
/// /api/referrers: enrol (idempotent), search by email, name, code or Shopify customer, one referrer with their
/// referrals and rewards, block and unblock. {id} is always our referrer id; the Shopify customer's is by-customer/{customerId}.
///  A blocked referrer's code is switched off in Shopify
/// (in the background: codeState shows "deactivating" until Shopify confirmed) and their new referrals are rejected.
/// </summary>
public static class ReferrersApi
{
    public static RouteGroupBuilder MapReferrersApi(this RouteGroupBuilder api)
    {
        var referrers = api.MapGroup("/referrers").WithTags("Referrers");
        referrers.MapGet("", Search).WithSummary("Search referrers by email, name, code (q), blocked, or Shopify customer (customerId)")
            .Produces<List<ReferrerRow>>();
        referrers.MapPost("", Enrol).WithSummary("Enrol a customer as a referrer (idempotent: 201, then 200 with the same code)")
            .Produces<ReferrerResponse>(StatusCodes.Status201Created).Produces<ReferrerResponse>().ProducesProblem(StatusCodes.Status409Conflict);
        referrers.MapGet("/{id:long}", ReferrerDetail.ByIdAsync).WithSummary("One referrer (our id) with their referrals and rewards")
            .Produces<ReferrerResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        referrers.MapGet("/by-customer/{customerId:long}", ReferrerDetail.ByCustomerAsync).WithSummary("One referrer by Shopify customer id")
            .Produces<ReferrerResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        referrers.MapPost("/{id:long}/block", (long id, BlockRequest? body, HttpContext http, ReferrerService s) => SetBlocked(id, true, body?.Reason, http, s))
            .WithSummary("Block a referrer: their code stops working at checkout").Produces<BlockAnswer>().ProducesProblem(StatusCodes.Status404NotFound);
        referrers.MapPost("/{id:long}/unblock", (long id, HttpContext http, ReferrerService s) => SetBlocked(id, false, null, http, s))
            .WithSummary("Unblock a referrer").Produces<BlockAnswer>().ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<IResult> Enrol(EnrolRequest? body, HttpContext http, ReferrerService referrers, IOptions<ShopifyOptions> o)
    {
        var errors = new Dictionary<string, string[]>();
        if (body?.CustomerId is not > 0) errors["customerId"] = ["The Shopify customer id (a positive number) is required."];
        if (body?.Email is { Length: > 0 } email && (!email.Contains('@') || email.Length > 320)) errors["email"] = ["Not an email address."];
        if (body?.Code is { } code && !ReferralCodes.IsValidVanity(code)) errors["code"] = ["A code has 4 to 32 letters, digits or dashes."];
        if (errors.Count > 0 || body is null)
            return TypedResults.ValidationProblem(errors, type: "https://shopifyreferral.dev/problems/validation");

        var shop = http.ShopSession().Shop;
        var existing = await referrers.FindAsync(shop, body.CustomerId!.Value, http.RequestAborted);
        try
        {
            var r = existing ?? await referrers.EnrolAsync(shop, body.CustomerId.Value, body.Email, body.FirstName, body.LastName, body.Code, http.RequestAborted);
            var response = ReferrerResponse.From(r, o.Value.AppUrl);
            // Enrolling again is not an error: the same customer gets the same code (200 instead of 201).
            return existing is null ? TypedResults.Created($"/api/referrers/{r.Id}", response) : TypedResults.Ok(response);
        }
        catch (ArgumentException ex) when (ex.ParamName == "code")
        {
            return TypedResults.Problem(ex.Message.Split(" (Parameter")[0], statusCode: 409, type: "https://shopifyreferral.dev/problems/code-taken");
        }
    }

    private static async Task<IResult> Search(HttpContext http, Db db, string? q, bool? blocked, long? customerId, int? limit)
    {
        if (customerId is <= 0) return Problems.Invalid("customerId", "A Shopify customer id is a positive number.");
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
              AND (@blocked IS NULL OR r.blocked = @blocked) AND (@customerId IS NULL OR r.customer_id = @customerId)
            ORDER BY r.id DESC
            """), new { shop, pattern = string.IsNullOrWhiteSpace(q) ? null : "%" + q.Trim() + "%", blocked, customerId, limit = Math.Clamp(limit ?? 100, 1, 500) });
        return TypedResults.Ok(rows.AsList());
    }

    private static async Task<IResult> SetBlocked(long id, bool blocked, string? reason, HttpContext http, ReferrerService referrers)
    {
        if (blocked && string.IsNullOrWhiteSpace(reason)) return Problems.Invalid("reason", "Say why the referrer is blocked: {\"reason\": \"...\"}.");
        var r = await referrers.SetBlockedByIdAsync(http.ShopSession().Shop, id, blocked, blocked ? reason!.Trim() : null, http.RequestAborted);
        return r is null
            ? Problems.NotFound($"No referrer {id} in this shop.")
            : TypedResults.Ok(new BlockAnswer(id, blocked, r.BlockedReason, r.CodeState));
    }
}
