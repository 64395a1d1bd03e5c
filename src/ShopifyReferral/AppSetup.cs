using ShopifyReferral.Dashboard;
using ShopifyReferral.Discounts;
using ShopifyReferral.Extensions;
using ShopifyReferral.Flow;
using ShopifyReferral.Data;
using ShopifyReferral.Events;
using ShopifyReferral.Operations;
using ShopifyReferral.Install;
using ShopifyReferral.Jobs;
using ShopifyReferral.Merchant;
using ShopifyReferral.Privacy;
using ShopifyReferral.Referrals;
using ShopifyReferral.Shopify;
using ShopifyReferral.Shops;
using ShopifyReferral.Storefront;
using ShopifyReferral.Webhooks;

namespace ShopifyReferral;

/// <summary>Every feature's registration and routes, in one readable list.</summary>
public static class AppSetup
{
    public static IServiceCollection AddApplicationServices(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddProblemDetails();
        services.AddApiConventions();
        services.AddSessionTokens();
        services.AddData(config);
        services.AddHealth(config);
        services.AddProxy(config);
        services.AddTelemetry(config);
        services.AddShopifyOptions(config);
        services.AddShops(config);
        services.AddReferrals(config);
        services.AddWebhooks(config);
        services.AddPrivacy();
        services.AddStorefront(config);
        services.AddDashboard(config);
        services.AddExtensions(config);
        services.AddEvents(config);
        services.AddJobs(config); // last: its worker host starts after the inbox writer
        return services;
    }

    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        app.UseProxy();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseExtensionCors();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHealth();
        app.MapTelemetry();
        app.MapWebhooks();
        app.MapInstall();
        var api = app.MapMerchantApi();
        api.MapPrivacy();
        api.MapGet("/shop", (HttpContext http) => TypedResults.Ok(new { shop = http.ShopSession().Shop }));
        api.MapProgramEndpoints();
        api.MapReferrerEndpoints();
        api.MapEventEndpoints();
        api.MapDiscountsApi();
        app.MapStorefront();
        app.MapDashboard(api);
        app.MapExtensions();
        app.MapFlow();
        return app;
    }
}
