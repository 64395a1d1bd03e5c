using Microsoft.Extensions.Options;

namespace ShopifyReferral.Shopify;

public static class ShopifySetup
{
    public static IServiceCollection AddShopifyOptions(this IServiceCollection services, IConfiguration config)
    {
        services.AddShopifyAdmin(config);
        services.AddSingleton<IValidateOptions<ShopifyOptions>, ShopifyOptionsValidator>();
        return services;
    }
}
