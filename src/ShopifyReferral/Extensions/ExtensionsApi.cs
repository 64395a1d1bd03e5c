using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using ShopifyReferral.Dashboard;
using ShopifyReferral.Merchant;
using ShopifyReferral.Shopify;
using ShopifyReferral.Shops;
using ShopifyReferral.Storefront;

namespace ShopifyReferral.Extensions;

public sealed record ReferralRequest(string? OrderId);

/// <summary>
/// The backend of the UI extensions. They run in a sandboxed worker on Shopify's origin, so every answer carries
/// CORS headers and OPTIONS answers the preflight; nothing rides on cookies (the bearer token is the credential),
/// so any origin may call. Each call needs an extension session token (<see cref="SessionTokenKind.Extension"/>)
/// for an installed shop, and each shop has its own rate limit, counted after the token checks out so a forger
/// cannot spend a real shop's budget.
/// </summary>
public static class ExtensionsApi
{
    public const string Prefix = "/extensions";
    public static IServiceCollection AddExtensions(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<ExtensionOptions>().Bind(config.GetSection(ExtensionOptions.Section))
            .Validate(o => o.RateLimitPermits > 0, "Extensions:RateLimitPermits must be more than 0.")
            .Validate(o => o.RateLimitWindow > TimeSpan.Zero, "Extensions:RateLimitWindow must be a positive time span, e.g. 00:01:00.")
            .Validate(o => o.GuestOrderWindow > TimeSpan.Zero, "Extensions:GuestOrderWindow must be a positive time span, e.g. 1.00:00:00.")
            .ValidateOnStart();
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<ExtensionOptions>>().Value;
            return PartitionedRateLimiter.Create<string, string>(shop => RateLimitPartition.GetFixedWindowLimiter(shop, _ =>
                new FixedWindowRateLimiterOptions { PermitLimit = o.RateLimitPermits, Window = o.RateLimitWindow, QueueLimit = 0 }));
        });
        services.AddSingleton<ThankYouReferral>();
        services.AddSingleton<ReferrerAccount>();
        return services;
    }

    /// <summary>CORS for /extensions, before the rate limiter so a 429 is readable by the extension too.</summary>
    public static WebApplication UseExtensionCors(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            if (!http.Request.Path.StartsWithSegments(Prefix, StringComparison.OrdinalIgnoreCase))
            {
                await next(http);
                return;
            }
            // OnStarting: the headers survive an exception handler that clears the response.
            http.Response.OnStarting(() =>
            {
                http.Response.Headers.AccessControlAllowOrigin = "*";
                http.Response.Headers.Vary = "Origin";
                return Task.CompletedTask;
            });
            if (HttpMethods.IsOptions(http.Request.Method))
            {
                http.Response.StatusCode = StatusCodes.Status204NoContent;
                http.Response.Headers.AccessControlAllowMethods = "GET, POST, OPTIONS";
                http.Response.Headers.AccessControlAllowHeaders = "Authorization, Content-Type";
                http.Response.Headers.AccessControlMaxAge = "86400";
                return;
            }
            await next(http);
        });
        return app;
    }

    public static IEndpointRouteBuilder MapExtensions(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup(Prefix).RequireAuthorization(SessionTokenAuth.Extension).AddEndpointFilter(LimitPerShopAsync)
            .WithTags("Extensions").ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapPost("/referral", Referral).WithSummary("The thank-you block: enrol the order's buyer and answer their code and share links")
            .Produces<ThankYouAnswer>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapGet("/referrer", Referrer).WithSummary("The customer-account page: the logged-in customer's code, referrals and rewards (read-only)")
            .Produces<ReferrerAnswer>();
        return routes;
    }

    private static async Task<IResult> Referral(ReferralRequest? body, HttpContext http, ThankYouReferral thankYou, PageViews views)
    {
        if (ThankYouReferral.ParseOrderGid(body?.OrderId) is not { } orderGid)
            return Problems.Invalid("orderId", "The order's id as the extension has it, e.g. gid://shopify/Order/5893217321195.");
        try
        {
            var answer = await thankYou.AnswerAsync(http.ShopSession(), orderGid, http.RequestAborted);
            // A hidden answer renders nothing, so only a block the buyer saw is a view.
            if (answer.Show) await views.CountAsync(http.ShopSession().Shop, PageViews.ThankYou, http.RequestAborted);
            return TypedResults.Ok(answer);
        }
        catch (OrderRefusedException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: ex.Status, type: Problems.Base + ex.Type);
        }
        catch (Exception ex) when (ex is ShopifyException or ShopNotInstalledException)
        {
            // Shopify down or the shop's grant gone: the block renders nothing and the buyer's page loads as usual.
            return TypedResults.Problem("Shopify could not be asked about the order just now; try again shortly.", statusCode: 503,
                type: Problems.Base + "shopify-unavailable");
        }
    }

    private static async Task<IResult> Referrer(HttpContext http, ReferrerAccount account, PageViews views)
    {
        var session = http.ShopSession();
        if (ThankYouReferral.ParseCustomerGid(session.UserId) is not { } customerId)
            return Unauthorized("The token names no logged-in customer (sub); the referrer page needs one.");
        var answer = await account.AnswerAsync(session.Shop, customerId, http.RequestAborted);
        await views.CountAsync(session.Shop, PageViews.Account, http.RequestAborted);
        return TypedResults.Ok(answer);
    }

    // The session is the Extension scheme's (SessionTokenAuth); what is left here is the per-shop call budget.
    private static async ValueTask<object?> LimitPerShopAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var session = http.ShopSession();
        using var lease = http.RequestServices.GetRequiredService<PartitionedRateLimiter<string>>().AttemptAcquire(session.Shop);
        if (!lease.IsAcquired)
        {
            if (lease.TryGetMetadata(MetadataName.RetryAfter, out var retry))
                http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem($"Too many calls for {session.Shop}; try again shortly.", statusCode: 429, type: Problems.Base + "rate-limited");
        }
        return await next(context);
    }

    private static IResult Unauthorized(string detail) =>
        TypedResults.Problem(detail, statusCode: 401, type: Problems.Base + "unauthorized");
}
