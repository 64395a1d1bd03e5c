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
            .Validate(o => o.RateLimitWindow > TimeSpan.Zero, "Storefront:RateLimitWindow must be a positive time span, e.g. 00:01:00.")
            .ValidateOnStart();
        services.AddSingleton<StorefrontStore>();
        services.AddSingleton<StorefrontPages>();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // A global limiter keyed by path covers /auth too, whichever feature maps it.
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                if (!IsPublic(http.Request.Path)) return RateLimitPartition.GetNoLimiter("");
                var limits = http.RequestServices.GetRequiredService<IOptions<StorefrontOptions>>().Value;
                // Behind a reverse proxy, configure forwarded headers so this is the client and not the proxy.
                var ip = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                return RateLimitPartition.GetFixedWindowLimiter(ip, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limits.RateLimitPermits, Window = limits.RateLimitWindow, QueueLimit = 0, AutoReplenishment = true,
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

    public static bool IsPublic(PathString path) =>
        PublicPrefixes.Any(p => path.StartsWithSegments(p.TrimEnd('/'), StringComparison.OrdinalIgnoreCase));
}
