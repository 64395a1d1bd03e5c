using ShopifyReferral.Shopify;

namespace ShopifyReferral.Shops;

public static class ShopsSetup
{
    public static IServiceCollection AddShops(this IServiceCollection services)
    {
        services.AddSingleton<ShopStore>();
        services.AddHttpClient<ShopifyOAuth>();
        services.AddSingleton<ShopTokens>();
        services.AddSingleton<IShopTokens>(sp => sp.GetRequiredService<ShopTokens>());
        services.AddTransient<ShopInstaller>();
        return services;
    }
}
