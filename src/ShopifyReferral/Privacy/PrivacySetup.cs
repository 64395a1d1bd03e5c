using ShopifyReferral.Webhooks;

namespace ShopifyReferral.Privacy;

/// <summary>The privacy webhooks' handlers; the merchant's export downloads are Merchant/PrivacyApi.cs.</summary>
public static class PrivacySetup
{
    public static IServiceCollection AddPrivacy(this IServiceCollection services)
    {
        services.AddSingleton<Pseudonyms>();
        services.AddSingleton<Redactor>();
        services.AddSingleton<IWebhookHandler, PrivacyHandlers>();
        return services;
    }
}
