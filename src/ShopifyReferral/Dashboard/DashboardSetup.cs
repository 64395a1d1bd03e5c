using ShopifyReferral.Analytics;

namespace ShopifyReferral.Dashboard;

public static class DashboardSetup
{
    public static IServiceCollection AddDashboard(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton<AnalyticsStore>();
        return services;
    }

    /// <summary>The page and its assets; the figures it shows come from the merchant API (Merchant/).</summary>
    public static WebApplication MapDashboard(this WebApplication app)
    {
        app.MapDashboardPage();
        return app;
    }
}
