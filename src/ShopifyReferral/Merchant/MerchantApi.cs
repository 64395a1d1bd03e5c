using Microsoft.Extensions.Options;

namespace ShopifyReferral.Merchant;

/// <summary>
/// The merchant API lives under /api and every endpoint in it requires a verified session token for an
/// installed shop (<see cref="SessionTokenAuth"/>). Handlers get the shop from <c>http.ShopSession()</c>: it is the only tenant they may touch.
/// </summary>
public static class MerchantApi
{
    /// <summary>The 401 type that tells the page to run a token exchange and retry.</summary>
    public const string ReauthorizeType = "https://shopifyreferral.dev/problems/reauthorize";

    /// <summary>
    /// The API's conventions, once for every endpoint: times in JSON as ISO 8601 UTC, and a request ASP.NET cannot bind
    /// (a wrong query value, malformed JSON) answered as a validation problem naming the field.
    /// </summary>
    public static IServiceCollection AddApiConventions(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new UtcJson());
            // A field no endpoint reads is refused by name (BadRequestProblems), never silently dropped.
            o.SerializerOptions.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow;
        });
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<BadRequestProblems>();
        return services;
    }

    /// <summary>The /api route group; features add their endpoints to it (see AppSetup).</summary>
    public static RouteGroupBuilder MapMerchantApi(this IEndpointRouteBuilder routes) =>
        routes.MapGroup("/api").RequireAuthorization(SessionTokenAuth.Merchant).WithTags("Merchant");
}
