using Microsoft.Extensions.Options;
using ShopifyReferral.Referrals;
using ShopifyReferral.Shopify;
using ShopifyReferral.Storefront;

namespace ShopifyReferral.Merchant;

/// <summary>
/// GET /api/referrers/{id} and /api/referrers/by-customer/{customerId}: the referrer with their referrals and rewards.
/// Until this release /api/referrers/{n} meant the Shopify customer id; for one release a number that is none of this
/// shop's referrer ids but is one of its referrers' customer ids still answers, marked deprecated (RFC 9745) with a
/// link to the by-customer path. Our id wins when both could match.
/// </summary>
public static class ReferrerDetail
{
    // RFC 9745: when the customer-id meaning of /api/referrers/{n} was deprecated (2026-12-01T00:00:00Z).
    private const string DeprecatedSince = "@1796083200";

    public static async Task<IResult> ByIdAsync(long id, HttpContext http, ReferrerService referrers, StorefrontStore store, IOptions<ShopifyOptions> o)
    {
        var shop = http.ShopSession().Shop;
        if (await referrers.FindByIdAsync(shop, id, http.RequestAborted) is { } r) return await AnswerAsync(r, http, store, o);
        if (await referrers.FindAsync(shop, id, http.RequestAborted) is { } byCustomer)
        {
            http.Response.Headers["Deprecation"] = DeprecatedSince;
            http.Response.Headers.Link = $"</api/referrers/by-customer/{id}>; rel=\"alternate\"";
            return await AnswerAsync(byCustomer, http, store, o);
        }
        return Problems.NotFound($"No referrer {id} in this shop.");
    }

    public static async Task<IResult> ByCustomerAsync(long customerId, HttpContext http, ReferrerService referrers, StorefrontStore store, IOptions<ShopifyOptions> o)
    {
        var r = await referrers.FindAsync(http.ShopSession().Shop, customerId, http.RequestAborted);
        return r is null
            ? TypedResults.Problem($"Customer {customerId} is not a referrer in this shop.", statusCode: 404, type: "https://shopifyreferral.dev/problems/not-found")
            : await AnswerAsync(r, http, store, o);
    }

    private static async Task<IResult> AnswerAsync(Referrer r, HttpContext http, StorefrontStore store, IOptions<ShopifyOptions> o) =>
        TypedResults.Ok(ReferrerResponse.From(r, o.Value.AppUrl) with
        {
            Referrals = await store.ReferralsAsync(r.Id, http.RequestAborted),
            Rewards = await store.RewardsAsync(r.Id, http.RequestAborted),
        });
}
