using ShopifyReferral.Merchant;
using ShopifyReferral.Webhooks;

namespace ShopifyReferral.Merchant;

/// <summary>Deliveries that failed every attempt, and a replay that sends one back to the workers. Shop-scoped.</summary>
public static class WebhooksApi
{
    public static RouteGroupBuilder MapWebhooksApi(this RouteGroupBuilder api)
    {
        var webhooks = api.MapGroup("/webhooks").WithTags("Webhooks");
        webhooks.MapGet("/failed", async (HttpContext http, InboxStore inbox, int? limit) =>
            TypedResults.Ok(await inbox.ListFailedAsync(http.ShopSession().Shop, Math.Clamp(limit ?? 100, 1, 500), http.RequestAborted)));
        webhooks.MapPost("/{id:long}/replay", async (long id, HttpContext http, InboxStore inbox, TimeProvider time) =>
        {
            var shop = http.ShopSession().Shop;
            if (await inbox.ReplayAsync(id, shop, time.GetUtcNow(), http.RequestAborted)) return Results.Accepted(value: new { id, status = "pending" });
            return await inbox.BodyRemovedAsync(id, shop, http.RequestAborted)
                ? Problems.Conflict($"Delivery {id} cannot be replayed: its payload was removed (kept only for Webhooks:Retention after " +
                                    "processing, or erased by a customer's redaction request).")
                : Problems.NotFound($"No failed or skipped delivery {id} in this shop.");
        }).WithSummary("Send a failed or skipped delivery back to the workers")
            .Produces(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }
}
