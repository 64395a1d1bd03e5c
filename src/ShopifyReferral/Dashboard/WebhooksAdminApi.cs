using ShopifyReferral.Merchant;
using ShopifyReferral.Webhooks;

namespace ShopifyReferral.Dashboard;

/// <summary>Deliveries that failed every attempt, and a replay that sends one back to the workers. Shop-scoped.</summary>
public static class WebhooksAdminApi
{
    public static RouteGroupBuilder MapWebhooksAdminApi(this RouteGroupBuilder api)
    {
        api.MapGet("/webhooks/failed", async (HttpContext http, InboxStore inbox, int? limit) =>
            TypedResults.Ok(await inbox.ListFailedAsync(http.ShopSession().Shop, Math.Clamp(limit ?? 100, 1, 500), http.RequestAborted)));
        api.MapPost("/webhooks/{id:long}/replay", async (long id, HttpContext http, InboxStore inbox, TimeProvider time) =>
        {
            var shop = http.ShopSession().Shop;
            if (await inbox.ReplayAsync(id, shop, time.GetUtcNow(), http.RequestAborted)) return Results.Accepted(value: new { id, status = "pending" });
            return await inbox.BodyRemovedAsync(id, shop, http.RequestAborted)
                ? Problems.Conflict($"Delivery {id} cannot be replayed: its payload was removed (kept only for Webhooks:Retention after " +
                                    "processing, or erased by a customer's redaction request).")
                : Problems.NotFound($"No failed or skipped delivery {id} in this shop.");
        });
        return api;
    }
}
