using System.Text.Json.Serialization;
using Dapper;
using ShopifyReferral.Data;

namespace ShopifyReferral.Merchant;

/// <summary>One data_request export in the list (camelCase and ISO times like the rest of the API).</summary>
public sealed record PrivacyExport(long Id, long? CustomerId, string? Email, string? RequestId, [property: JsonConverter(typeof(UnixMsJson))] long CreatedAt);

public static class PrivacyApi
{
    /// <summary>The merchant fetches data_request exports here to send to the customer; only their own shop's.</summary>
    public static RouteGroupBuilder MapPrivacyApi(this RouteGroupBuilder api)
    {
        var privacy = api.MapGroup("/privacy").WithTags("Privacy");
        privacy.MapGet("/exports", async (HttpContext http, Db db, CancellationToken ct) =>
        {
            await using var conn = await db.OpenAsync(ct);
            return TypedResults.Ok(await conn.QueryAsync<PrivacyExport>(
                "SELECT id, customer_id, email, request_id, created_at FROM privacy_exports WHERE shop = @shop ORDER BY id DESC",
                new { shop = http.ShopSession().Shop }));
        }).WithSummary("The shop's data_request exports, newest first");
        privacy.MapGet("/exports/{id:long}", async Task<IResult> (long id, HttpContext http, Db db, CancellationToken ct) =>
        {
            await using var conn = await db.OpenAsync(ct);
            var body = await conn.ExecuteScalarAsync<string?>(
                "SELECT body FROM privacy_exports WHERE id = @id AND shop = @shop", new { id, shop = http.ShopSession().Shop });
            return body is null
                ? Problems.NotFound("No such export in this shop.")
                : TypedResults.Text(body, "application/json");
        }).WithSummary("One export's JSON, to send to the customer")
            .Produces(StatusCodes.Status200OK, contentType: "application/json").ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }
}
