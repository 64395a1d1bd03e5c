using Microsoft.Extensions.DependencyInjection.Extensions;
using System.Text.RegularExpressions;

namespace ShopifyReferral.Shopify;

public static class ShopifyAdminExtensions
{
    /// <summary>Registers <see cref="IShopifyAdmin"/>; the app must also register an <see cref="IShopTokens"/>.</summary>
    public static IServiceCollection AddShopifyAdmin(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ShopifyOptions>()
            .Bind(configuration.GetSection(ShopifyOptions.Section))
            .Validate(o => Regex.IsMatch(o.ApiVersion, @"^(\d{4}-(01|04|07|10)|unstable)$"),
                "Set Shopify:ApiVersion to a quarterly version such as 2026-10 (or unstable).")
            .Validate(o => o.AdminBaseUrl.Contains("{shop}", StringComparison.Ordinal)
                    && Uri.TryCreate(o.AdminBaseUrl.Replace("{shop}", "x.myshopify.com"), UriKind.Absolute, out var u) && u.Scheme is "http" or "https",
                "Set Shopify:AdminBaseUrl to an absolute URL containing {shop}, e.g. https://{shop}.")
            .Validate(o => o.RequestTimeout > TimeSpan.Zero, "Set Shopify:RequestTimeout to a positive duration, e.g. 00:00:10.")
            .Validate(o => o.TokenRequestTimeout > TimeSpan.Zero, "Set Shopify:TokenRequestTimeout to a positive duration, e.g. 00:00:30.")
            .Validate(o => o.MaxRetryAttempts is >= 0 and <= 10, "Set Shopify:MaxRetryAttempts between 0 and 10.")
            .Validate(o => o.RetryBaseDelay > TimeSpan.Zero && o.MaxRetryDelay >= o.RetryBaseDelay,
                "Set Shopify:RetryBaseDelay positive and Shopify:MaxRetryDelay at least as long.")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ShopPacer>();
        services.TryAddSingleton<ShopifyResilience>();
        // Polly's per-attempt timeout governs each request, so HttpClient's own 100 s timeout is switched off.
        services.AddHttpClient<ShopifyGraphQL>(http => http.Timeout = Timeout.InfiniteTimeSpan);
        services.TryAddTransient<IShopifyAdmin, ShopifyAdmin>();
        services.TryAddTransient<StoreCreditAdmin>();
        return services;
    }
}
