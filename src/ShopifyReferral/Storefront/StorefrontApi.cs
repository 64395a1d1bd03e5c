using Microsoft.Extensions.Options;
using ShopifyReferral.Data;
using ShopifyReferral.Referrals;
using ShopifyReferral.Shopify;
using ShopifyReferral.Shops;

namespace ShopifyReferral.Storefront;

/// <summary>
/// The shopper-facing endpoints. /proxy and /proxy/join are reached through Shopify's app proxy
/// (storefront /apps/{subpath}/... → {AppUrl}/proxy/...) and believe nothing before the signature checks out.
/// /r/{code} is the tracked share link. All three are public, so the rate limiter covers them (StorefrontSetup).
/// </summary>
public static class StorefrontApi
{
    public static IEndpointRouteBuilder MapStorefront(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("").WithTags("Storefront").ExcludeFromDescription();
        group.MapGet("/proxy", Page);
        // The join form posts without an antiforgery token: the app-proxy signature is what proves the request.
        group.MapPost("/proxy/join", Join).DisableAntiforgery();
        group.MapGet("/r/{code}", ShareClick);
        return routes;
    }

    private static async Task<IResult> Page(HttpContext http, StorefrontPages pages, PageViews views)
    {
        if (Verify(http) is not { } request) return Refused(http);
        var page = await pages.RenderAsync(request, http.Request.QueryString.Value ?? "", http.RequestAborted);
        // Only a page the shopper saw counts (not a shop that is not installed): the funnel's first step.
        if (page is IStatusCodeHttpResult { StatusCode: null or 200 }) await views.CountAsync(request.Shop, PageViews.ReferralPage, http.RequestAborted);
        return page;
    }

    private static async Task<IResult> Join(HttpContext http, StorefrontPages pages, ReferrerService referrers, ProgramStore programs)
    {
        if (Verify(http) is not { } request) return Refused(http);
        if (request.CustomerId is not { } customerId)
            return TypedResults.Problem("Log in to your account to join.", statusCode: 400,
                type: "https://shopifyreferral.dev/problems/not-logged-in");
        if (await pages.ShopIsInstalledAsync(request.Shop, http.RequestAborted) is false)
            return pages.NotInstalled();
        var program = (await programs.GetActiveAsync(request.Shop, http.RequestAborted)).Settings;
        // An existing referrer joining again is still answered with their code; only a new one meets the rules.
        if (await referrers.FindAsync(request.Shop, customerId, http.RequestAborted) is null
            && await pages.JoinClosedAsync(request.Shop, customerId, program, http.RequestAborted) is { } closed)
            return TypedResults.Problem(closed.Message, statusCode: 409, type: "https://shopifyreferral.dev/problems/" + closed.Type);

        // Idempotent: joining twice (a double click, a back-button resubmit) returns the same code.
        await referrers.EnrolAsync(request.Shop, customerId, null, null, null, ct: http.RequestAborted);
        // Post/redirect/get back to the storefront page; without a usable prefix, render it here.
        return StorefrontPages.IsStorefrontPath(request.PathPrefix)
            ? new SeeOther(request.PathPrefix)
            : await pages.RenderAsync(request, http.Request.QueryString.Value ?? "", http.RequestAborted);
    }

    private static async Task<IResult> ShareClick(
        string code, string? ch, string? s, HttpContext http, StorefrontStore store, Db db, TimeProvider time)
    {
        var referrer = await StorefrontPages.FindReferrerAsync(db, code, s, http.RequestAborted);
        if (referrer is null)
            // The app cannot tell a mistyped code from one that never existed, so it says just that, never "expired".
            return TypedResults.Content(PageLayout.Message("We don't recognise this referral code",
                    $"No referral code {code.ToUpperInvariant()} is known here. Check the link with the friend who sent it, or visit the shop directly."),
                PageLayout.ContentType, statusCode: 404);
        if (referrer.CodeStatus == Discounts.DiscountChangeHandler.Deleted)
            // The merchant deleted the code in Shopify: sending the friend to a discount link that applies nothing would mislead.
            return TypedResults.Content(PageLayout.Message("This referral code is no longer active",
                    $"The shop has retired the referral code {referrer.Code}. You can still visit the shop directly."),
                PageLayout.ContentType, statusCode: 410);
        var channel = ShareLinks.Channel(ch);
        await store.RecordClickAsync(referrer.Shop, referrer.Id, referrer.Code, channel,
            http.Connection.RemoteIpAddress?.ToString(), time.GetUtcNow(), http.RequestAborted);
        // The shop's discount link applies the code in the cart, so the friend's discount cannot be forgotten; the
        // channel rides along to the order's landing_site, which tells the funnel which channel brought the order.
        return TypedResults.Redirect(ShareLinks.Landing(referrer.ShareLink, channel));
    }

    /// <summary>
    /// The request's app-proxy signature, checked once per request: the rate limiter asks first (to know whose budget
    /// it spends), the page after; a refusal keeps its reason for the 401.
    /// </summary>
    internal static ProxyRequest? Verify(HttpContext http)
    {
        if (http.Items.TryGetValue(typeof(ProxyRequest), out var checkedBefore)) return checkedBefore as ProxyRequest;
        var o = http.RequestServices.GetRequiredService<IOptions<ShopifyOptions>>().Value;
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var request = AppProxySignature.Verify(http.Request.QueryString.Value ?? "", [o.ClientSecret, o.PreviousClientSecret ?? ""], now, out var why);
        http.Items[typeof(ProxyRequest)] = request;
        if (request is null) http.Items["proxy-refusal"] = why;
        return request;
    }

    private static IResult Refused(HttpContext http) =>
        TypedResults.Problem($"The app proxy signature was refused: {http.Items["proxy-refusal"]}.", statusCode: 401,
            type: "https://shopifyreferral.dev/problems/bad-proxy-signature");

    /// <summary>303 See Other: after a POST the browser GETs the page again.</summary>
    private sealed class SeeOther(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.StatusCode = StatusCodes.Status303SeeOther;
            http.Response.Headers.Location = location;
            return Task.CompletedTask;
        }
    }
}
