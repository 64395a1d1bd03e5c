using System.Text.Json.Serialization;
using Dapper;
using ShopifyReferral.Dashboard;
using ShopifyReferral.Data;
using ShopifyReferral.Merchant;
using ShopifyReferral.Webhooks;

namespace ShopifyReferral.Privacy;

/// <summary>One data_request export in the list (camelCase and ISO times like the rest of the API).</summary>
public sealed record PrivacyExport(long Id, long? CustomerId, string? Email, string? RequestId, [property: JsonConverter(typeof(UnixMsJson))] long CreatedAt);

public static class PrivacySetup
{
    public static IServiceCollection AddPrivacy(this IServiceCollection services)
    {
        services.AddSingleton<Pseudonyms>();
        services.AddSingleton<Redactor>();
        services.AddSingleton<IWebhookHandler, PrivacyHandlers>();
        return services;
    }

    /// <summary>The merchant fetches data_request exports here to send to the customer; only their own shop's.</summary>
    public static RouteGroupBuilder MapPrivacy(this RouteGroupBuilder api)
    {
        api.MapGet("/privacy/exports", async (HttpContext http, Db db, CancellationToken ct) =>
        {
            await using var conn = await db.OpenAsync(ct);
            return TypedResults.Ok(await conn.QueryAsync<PrivacyExport>(
                "SELECT id, customer_id, email, request_id, created_at FROM privacy_exports WHERE shop = @shop ORDER BY id DESC",
                new { shop = http.ShopSession().Shop }));
        });
        api.MapGet("/privacy/exports/{id:long}", async Task<IResult> (long id, HttpContext http, Db db, CancellationToken ct) =>
        {
            await using var conn = await db.OpenAsync(ct);
            var body = await conn.ExecuteScalarAsync<string?>(
                "SELECT body FROM privacy_exports WHERE id = @id AND shop = @shop", new { id, shop = http.ShopSession().Shop });
            return body is null
                ? Problems.NotFound("No such export in this shop.")
                : TypedResults.Text(body, "application/json");
        });
        return api;
    }
}
