using ShopifyReferral.Data;
using ShopifyReferral.Referrals;
using ShopifyReferral.Shopify;
using ShopifyReferral.Storefront;
using Microsoft.Extensions.Options;

namespace ShopifyReferral.Merchant;

public sealed record EnrolRequest(long? CustomerId, string? Email, string? FirstName, string? LastName, string? Code);

/// <summary>A referrer as the merchant API answers it. ShareLink is tracked (/r/{code}); DiscountLink goes straight to the shop.</summary>
public sealed record ReferrerResponse(
    long CustomerId, string? Email, string? FirstName, string? LastName, string Code, string CodeStatus, string? CodeError,
    string CodeState, string ShareLink, string DiscountLink, bool Blocked, string? BlockedReason, DateTimeOffset EnrolledAt)
{
    public IReadOnlyList<ShopperReferral>? Referrals { get; init; }
    public IReadOnlyList<ShopperReward>? Rewards { get; init; }

    public static ReferrerResponse From(Referrer r, string appUrl) => new(
        r.CustomerId, r.Email, r.FirstName, r.LastName, r.Code, r.CodeStatus, r.CodeError, r.CodeState,
        ShareLinks.Tracked(appUrl, r.Shop, r.Code, "link"), r.ShareLink, r.Blocked, r.BlockedReason,
        DateTimeOffset.FromUnixTimeMilliseconds(r.EnrolledAt));
}

/// <summary>POST /api/referrers (enrol, idempotent), GET /api/referrers/{customerId}.</summary>
public static class ReferrerEndpoints
{
    public static readonly string[] Statuses = ["pending", "review", "approved", "rewarded", "rejected", "voided"];

    public static RouteGroupBuilder MapReferrerEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/referrers", Enrol);
        api.MapGet("/referrers/{customerId:long}", Get);
        // GET /api/referrals is served by Dashboard/ReferralsApi.cs (status and date filters, rule evidence): one route per path.
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
            return existing is null ? TypedResults.Created($"/api/referrers/{r.CustomerId}", response) : TypedResults.Ok(response);
        }
        catch (ArgumentException ex) when (ex.ParamName == "code")
        {
            return TypedResults.Problem(ex.Message.Split(" (Parameter")[0], statusCode: 409, type: "https://shopifyreferral.dev/problems/code-taken");
        }
    }

    private static async Task<IResult> Get(long customerId, HttpContext http, ReferrerService referrers, StorefrontStore store, IOptions<ShopifyOptions> o)
    {
        var r = await referrers.FindAsync(http.ShopSession().Shop, customerId, http.RequestAborted);
        if (r is null)
            return TypedResults.Problem($"Customer {customerId} is not a referrer in this shop.", statusCode: 404,
                type: "https://shopifyreferral.dev/problems/not-found");
        return TypedResults.Ok(ReferrerResponse.From(r, o.Value.AppUrl) with
        {
            Referrals = await store.ReferralsAsync(r.Id, http.RequestAborted),
            Rewards = await store.RewardsAsync(r.Id, http.RequestAborted),
        });
    }
}
