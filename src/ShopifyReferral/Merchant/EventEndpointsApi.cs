using ShopifyReferral.Events;
using Microsoft.AspNetCore.Http.HttpResults;
using ShopifyReferral.Dashboard;
using ShopifyReferral.Merchant;

namespace ShopifyReferral.Merchant;

public sealed record EventEndpointRequest(string? Url, IReadOnlyList<string>? Types);

/// <summary>An endpoint as answered at creation and rotation: the only answers that carry its secret.</summary>
public sealed record EventEndpointWithSecret(long Id, string Url, IReadOnlyList<string> Types, string Secret, DateTimeOffset CreatedAt, DateTimeOffset? RotatedAt);

/// <summary>
/// /api/event-endpoints: register, list, delete, rotate the secret of a shop's event receivers, read their deliveries
/// and replay one.
/// </summary>
public static class EventEndpointsApi
{
    public static RouteGroupBuilder MapEventEndpointsApi(this RouteGroupBuilder api)
    {
        var endpoints = api.MapGroup("/event-endpoints").WithTags("Event endpoints");
        endpoints.MapPost("", Create).WithSummary("Subscribe a URL to event types (Standard Webhooks signing; the secret is shown once)");
        endpoints.MapGet("", List).WithSummary("The shop's event endpoints");
        endpoints.MapDelete("/{id:long}", Delete).WithSummary("Remove an event endpoint");
        endpoints.MapPost("/{id:long}/rotate-secret", Rotate).WithSummary("A new signing secret; the old one signs too for a day");
        endpoints.MapGet("/{id:long}/deliveries", Deliveries).WithSummary("An endpoint's deliveries, newest first");
        endpoints.MapPost("/{id:long}/deliveries/{deliveryId:long}/replay", Replay).WithSummary("Send a delivery again");
        return api;
    }

    private static async Task<Results<Created<EventEndpointWithSecret>, ValidationProblem, ProblemHttpResult>> Create(
        EventEndpointRequest? body, HttpContext http, EndpointGuard guard, EventEndpointStore store)
    {
        var errors = new Dictionary<string, string[]>();
        if (await guard.RefuseAsync(body?.Url, http.RequestAborted) is { } why) errors["url"] = [why];
        if (body?.Types is not { Count: > 0 } types)
            errors["types"] = [$"At least one event type is required, of: {string.Join(", ", EventTypes.All)}."];
        else if (types.Where(t => !EventTypes.All.Contains(t)).ToList() is { Count: > 0 } unknown)
            errors["types"] = [$"Unknown event type(s): {string.Join(", ", unknown)}. Known: {string.Join(", ", EventTypes.All)}."];
        if (errors.Count > 0) return (ValidationProblem)Problems.Invalid(errors);

        var added = await store.AddAsync(http.ShopSession().Shop, body!.Url!, body.Types!, http.RequestAborted);
        if (added is not var (e, secret))
            return (ProblemHttpResult)Problems.Conflict($"A shop has at most {EventEndpointStore.MaxPerShop} event endpoints; delete one first.");
        return TypedResults.Created($"/api/event-endpoints/{e.Id}", With(e, secret));
    }

    private static async Task<Ok<IReadOnlyList<EventEndpoint>>> List(HttpContext http, EventEndpointStore store) =>
        TypedResults.Ok(await store.ListAsync(http.ShopSession().Shop, http.RequestAborted));

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(long id, HttpContext http, EventEndpointStore store) =>
        await store.DeleteAsync(http.ShopSession().Shop, id, http.RequestAborted) ? TypedResults.NoContent() : NotFound(id);

    private static async Task<Results<Ok<EventEndpointWithSecret>, ProblemHttpResult>> Rotate(long id, HttpContext http, EventEndpointStore store) =>
        await store.RotateAsync(http.ShopSession().Shop, id, http.RequestAborted) is var (e, secret) ? TypedResults.Ok(With(e, secret)) : NotFound(id);

    private static async Task<Results<Ok<IReadOnlyList<EventDeliveryView>>, ValidationProblem, ProblemHttpResult>> Deliveries(
        long id, int? limit, HttpContext http, EventEndpointStore store)
    {
        if (limit is < 1 or > 500) return (ValidationProblem)Problems.Invalid("limit", "Must be between 1 and 500.");
        var shop = http.ShopSession().Shop;
        if (await store.FindAsync(shop, id, http.RequestAborted) is null) return NotFound(id);
        return TypedResults.Ok(await store.DeliveriesAsync(shop, id, limit ?? 100, http.RequestAborted));
    }

    private static async Task<Results<Accepted, ProblemHttpResult>> Replay(long id, long deliveryId, HttpContext http, EventEndpointStore store) =>
        await store.ReplayAsync(http.ShopSession().Shop, id, deliveryId, http.RequestAborted)
            ? TypedResults.Accepted($"/api/event-endpoints/{id}/deliveries")
            : (ProblemHttpResult)Problems.NotFound($"No delivery {deliveryId} of event endpoint {id} in this shop.");

    private static ProblemHttpResult NotFound(long id) => (ProblemHttpResult)Problems.NotFound($"No event endpoint {id} in this shop.");

    private static EventEndpointWithSecret With(EventEndpoint e, string secret) => new(e.Id, e.Url, e.Types, secret, e.CreatedAt, e.RotatedAt);
}
