using Dapper;
using Microsoft.Extensions.Options;
using ShopifyReferral.Data;
using ShopifyReferral.Referrals;
using ShopifyReferral.Shopify;
using ShopifyReferral.Shops;

namespace ShopifyReferral.Storefront;

/// <summary>Gathers what the referral page shows (program wording, the shopper's enrolment, referrals, rewards).</summary>
public sealed class StorefrontPages(
    ProgramStore programs, ReferrerService referrers, StorefrontStore store, ShopStore shops, IOptions<ShopifyOptions> shopify)
{
    public async Task<IResult> RenderAsync(ProxyRequest request, string signedQuery, CancellationToken ct)
    {
        if (!await ShopIsInstalledAsync(request.Shop, ct)) return NotInstalled();
        var program = await programs.GetActiveAsync(request.Shop, ct);
        var currency = await store.CurrencyAsync(request.Shop, ct);
        var wording = ProgramWording.From(program.Settings, currency);

        ShopperView? shopper = null;
        if (request.CustomerId is { } customerId && await referrers.FindAsync(request.Shop, customerId, ct) is { } referrer)
        {
            shopper = new ShopperView(referrer, ShareLinks.Tracked(AppUrl, referrer.Shop, referrer.Code, "copy"),
                ShareLinks.Buttons(AppUrl, referrer.Shop, referrer.Code, wording.Offer),
                await store.ReferralsAsync(referrer.Id, ct), await store.RewardsAsync(referrer.Id, ct));
        }

        var closed = shopper is null && request.CustomerId is { } id ? await JoinClosedAsync(request.Shop, id, program.Settings, ct) : null;

        // Through Shopify the form posts to the storefront path and the proxy signs that request afresh; repeating
        // the signed query there would send shop/signature/timestamp twice, which the verification refuses.
        var joinAction = IsStorefrontPath(request.PathPrefix) ? request.PathPrefix.TrimEnd('/') + "/join" : "/proxy/join" + signedQuery;
        var html = ProxyPage.Render(wording, request, joinAction, shopper, currency, closed?.Message);
        return TypedResults.Content(html, PageLayout.ContentType);
    }

    /// <summary>
    /// Why this customer may not join now, or null: the program takes no new referrers, or it takes only customers
    /// with a paid order and this one has none yet. The thank-you block applies the same two rules.
    /// </summary>
    public async Task<(string Type, string Message)?> JoinClosedAsync(string shop, long customerId, ProgramSettings program, CancellationToken ct)
    {
        if (!program.Enabled)
            return ("program-paused", "The referral program is not taking new referrers at the moment. Please check back later.");
        if (program.PayingCustomersOnly && !await store.HasPaidOrderAsync(shop, customerId, ct))
            return ("paid-order-required", "You can join after your first paid order: your code then appears here and on your order confirmation.");
        return null;
    }

    public async Task<bool> ShopIsInstalledAsync(string shop, CancellationToken ct) =>
        (await shops.FindAsync(shop, ct))?.Status == "installed";

    public IResult NotInstalled() =>
        TypedResults.Content(PageLayout.Message("Referrals are not available", "This shop's referral program is not running at the moment."),
            PageLayout.ContentType, statusCode: 404);

    /// <summary>A path on the storefront (e.g. /apps/referral), never another host: it becomes a form action and a redirect.</summary>
    public static bool IsStorefrontPath(string prefix) =>
        prefix.StartsWith('/') && !prefix.StartsWith("//", StringComparison.Ordinal) && !prefix.Contains('\\') &&
        Uri.TryCreate(prefix, UriKind.Relative, out _);

    /// <summary>The referrer behind a shared code: in the shop named by s=, or the only shop with that code.</summary>
    public static async Task<Referrer?> FindReferrerAsync(Db db, string code, string? shopHandle, CancellationToken ct)
    {
        if (code.Length > 64) return null;
        var shop = string.IsNullOrWhiteSpace(shopHandle) ? null : shopHandle.Trim().ToLowerInvariant() + ".myshopify.com";
        if (shop is not null && !ShopDomain.IsValid(shop)) shop = null;
        await using var conn = await db.OpenAsync(ct);
        var found = (await conn.QueryAsync<Referrer>("""
            SELECT id, shop, customer_id, code, code_status, blocked, enrolled_at, program_version FROM referrers
            WHERE code = @code AND (@shop IS NULL OR shop = @shop)
            """, new { code = ReferralCodes.Normalise(code), shop })).AsList();
        return found.Count == 1 ? found[0] : null;
    }

    private string AppUrl => shopify.Value.AppUrl.TrimEnd('/');
}
