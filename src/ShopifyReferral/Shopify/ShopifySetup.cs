using Microsoft.Extensions.Options;

namespace ShopifyReferral.Shopify;

public static class ShopifySetup
{
    public static IServiceCollection AddShopifyOptions(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<ShopifyOptions>().Bind(config.GetSection("Shopify")).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ShopifyOptions>, ShopifyOptionsValidator>();
        return services;
    }
}
