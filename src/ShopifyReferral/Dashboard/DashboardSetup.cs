using ShopifyReferral.Analytics;

namespace ShopifyReferral.Dashboard;

public static class DashboardSetup
{
    public static IServiceCollection AddDashboard(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton<AnalyticsStore>();
        return services;
    }

    /// <summary>The merchant API's dashboard endpoints on the /api group, and the page itself.</summary>
    public static WebApplication MapDashboard(this WebApplication app, RouteGroupBuilder api)
    {
        api.MapReferrersApi().MapReferralsApi().MapRewardsApi().MapWebhooksAdminApi().MapExportApi().MapAnalyticsApi();
        app.MapDashboardPage();
        return app;
    }
}
