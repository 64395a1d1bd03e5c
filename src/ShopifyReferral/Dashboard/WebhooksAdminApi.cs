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
            await inbox.ReplayAsync(id, http.ShopSession().Shop, time.GetUtcNow(), http.RequestAborted)
                ? Results.Accepted(value: new { id, status = "pending" })
                : Problems.NotFound($"No failed or skipped delivery {id} in this shop."));
        return api;
    }
}
