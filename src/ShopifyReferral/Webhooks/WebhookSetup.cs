using Microsoft.Extensions.Options;
using ShopifyReferral.Referrals;
using ShopifyReferral.Shops;

namespace ShopifyReferral.Webhooks;

public static class WebhookSetup
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<WebhookOptions>().Bind(config.GetSection("Webhooks")).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidator>();
        services.AddSingleton<WebhookSignature>();
        services.AddSingleton<InboxSignal>();
        services.AddSingleton<IntakeGate>();
        services.AddSingleton<InboxStore>();
        services.AddSingleton<InboxWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<InboxWriter>());
        services.AddSingleton<WebhookProcessor>(); // its loops run in Jobs.Workers

        services.AddSingleton<IWebhookHandler, AppUninstalledHandler>();
        services.AddSingleton<IWebhookHandler, OrderRecorder>();
        services.AddSingleton<IWebhookHandler, Discounts.DiscountChangeHandler>();
        return services;
    }
}
