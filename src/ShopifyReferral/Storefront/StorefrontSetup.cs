using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace ShopifyReferral.Storefront;

public static class StorefrontSetup
{
    /// <summary>
    /// Paths anyone on the internet can call without a session token: rate-limited per IP. /extensions is among them
    /// because its token is checked only inside; the extension API adds its own limit per shop after that.
    /// </summary>
    public static readonly string[] PublicPrefixes = ["/r/", "/proxy", "/auth", "/extensions"];

    public static IServiceCollection AddStorefront(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<StorefrontOptions>().Bind(config.GetSection(StorefrontOptions.Section))
            .Validate(o => o.RateLimitPermits > 0, "Storefront:RateLimitPermits must be more than 0.")
            .Validate(o => o.ProxyShopRateLimitPermits > 0, "Storefront:ProxyShopRateLimitPermits must be more than 0.")
            .Validate(o => o.RateLimitWindow > TimeSpan.Zero, "Storefront:RateLimitWindow must be a positive time span, e.g. 00:01:00.")
            .ValidateOnStart();
        services.AddSingleton<StorefrontStore>();
        services.AddSingleton<StorefrontPages>();
        services.AddSingleton<PageViews>();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // A global limiter keyed by path covers /auth too, whichever feature maps it.
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                if (!IsPublic(http.Request.Path)) return RateLimitPartition.GetNoLimiter("");
                var limits = http.RequestServices.GetRequiredService<IOptions<StorefrontOptions>>().Value;
                var (key, permits) = Partition(http, limits);
                return RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = permits, Window = limits.RateLimitWindow, QueueLimit = 0, AutoReplenishment = true,
                });
            });
            o.OnRejected = async (context, ct) =>
            {
                var http = context.HttpContext;
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                    http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await TypedResults.Problem("Too many requests from this address; try again shortly.", statusCode: 429,
                    type: "https://shopifyreferral.dev/problems/rate-limited").ExecuteAsync(http);
            };
        });
        return services;
    }

    /// <summary>
    /// Whose budget a request spends. App-proxy requests all come from Shopify's servers, so their address says
    /// nothing: a signed one counts against its logged-in customer (the shopper's own budget), or else against its
    /// shop as a whole (a larger one, Storefront:ProxyShopRateLimitPermits). Everything else counts per client address
    /// (the shopper's when Proxy:KnownProxies names the load balancer in front).
    /// </summary>
    private static (string Key, int Permits) Partition(HttpContext http, StorefrontOptions limits)
    {
        if (http.Request.Path.StartsWithSegments("/proxy", StringComparison.OrdinalIgnoreCase) && StorefrontApi.Verify(http) is { } proxy)
            return proxy.CustomerId is { } customer
                ? ($"proxy:{proxy.Shop}:customer:{customer}", limits.RateLimitPermits)
                : ($"proxy:{proxy.Shop}", limits.ProxyShopRateLimitPermits);
        return ("ip:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown"), limits.RateLimitPermits);
    }

    public static bool IsPublic(PathString path) =>
        PublicPrefixes.Any(p => path.StartsWithSegments(p.TrimEnd('/'), StringComparison.OrdinalIgnoreCase));
}
