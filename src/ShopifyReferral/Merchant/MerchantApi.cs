using Microsoft.Extensions.Options;
using ShopifyReferral.Shopify;
using ShopifyReferral.Shops;

namespace ShopifyReferral.Merchant;

/// <summary>
/// The merchant API lives under /api and every endpoint in it requires a verified session token for an
/// installed shop. Handlers get the shop from <see cref="ShopSession(HttpContext)"/>: it is the only tenant they may touch.
/// </summary>
public static class MerchantApi
{
    private const string SessionKey = "ShopifyReferral.ShopSession";

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
        routes.MapGroup("/api").AddEndpointFilter(RequireSessionAsync).WithTags("Merchant");

    public static ShopSession ShopSession(this HttpContext http) =>
        http.Items[SessionKey] as ShopSession
        ?? throw new InvalidOperationException("No verified shop session: the endpoint is outside the /api group.");

    private static async ValueTask<object?> RequireSessionAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var services = http.RequestServices;
        var auth = http.Request.Headers.Authorization.ToString();
        if (!auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return Unauthorized("A Shopify session token is required (Authorization: Bearer <token>).");

        var o = services.GetRequiredService<IOptions<ShopifyOptions>>().Value;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var session = SessionToken.Verify(auth["Bearer ".Length..].Trim(), o.ClientId, [o.ClientSecret, o.PreviousClientSecret ?? ""], now, out var why);
        if (session is null) return Unauthorized($"The session token was refused: {why}.");

        // A valid session token means Shopify's admin has the app open for this shop, so a token exchange can mend a
        // missing or refused token (Shopify-managed install, needs_reauth); the page does it when it sees this type.
        var shop = await services.GetRequiredService<ShopStore>().FindAsync(session.Shop, http.RequestAborted);
        if (shop?.Status != "installed")
            return TypedResults.Problem(
                (shop?.Status == ShopStore.NeedsReauth
                    ? $"{session.Shop} needs re-authorisation: Shopify refused its stored token."
                    : $"{session.Shop} has not installed the app (no token yet).")
                + " POST /auth/token-exchange with this session token, then retry.",
                statusCode: 401, type: ReauthorizeType);

        http.Items[SessionKey] = session;
        return await next(context);
    }

    private static IResult Unauthorized(string detail) =>
        TypedResults.Problem(detail, statusCode: 401, type: "https://shopifyreferral.dev/problems/unauthorized");
}
