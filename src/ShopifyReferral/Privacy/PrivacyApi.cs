using Microsoft.AspNetCore.Http.HttpResults;
using ShopifyReferral.Merchant;

namespace ShopifyReferral.Privacy;

/// <summary>The merchant fetches a customer's data export here and hands it to the customer (Shopify does not collect it).</summary>
public static class PrivacyApi
{
    public static RouteGroupBuilder MapPrivacy(this RouteGroupBuilder api)
    {
        api.MapGet("/privacy/exports/{id:long}", GetExportAsync).WithTags("Privacy");
        return api;
    }

    private static async Task<Results<Ok<PrivacyExport>, ProblemHttpResult>> GetExportAsync(
        long id, HttpContext http, PrivacyStore store, CancellationToken ct)
    {
        // Only the session's shop: another shop's export id answers 404 like a missing one.
        var export = await store.FindExportAsync(http.ShopSession().Shop, id, ct);
        return export is null
            ? TypedResults.Problem($"No privacy export {id} for this shop.", statusCode: 404, type: "https://shopifyreferral.dev/problems/not-found")
            : TypedResults.Ok(export);
    }
}
