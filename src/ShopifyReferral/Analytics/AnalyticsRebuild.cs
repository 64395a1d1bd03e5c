using ShopifyReferral.Data;

namespace ShopifyReferral.Analytics;

/// <summary>
/// `dotnet run --project src/ShopifyReferral -- analytics rebuild`: recomputes every order's analytics facts from
/// its row and referral, then exits. Migration 0050 backfills them once; this is for rows written around the app
/// (an import, a restore). Safe while the app runs: each fact is recomputed from source, never added to.
/// </summary>
internal static class AnalyticsRebuild
{
    public static async Task<int> RunAsync(WebApplication app)
    {
        var db = app.Services.GetRequiredService<Db>();
        await using var conn = await db.OpenAsync();
        var rows = await OrderAnalyticsFacts.RebuildAsync(conn);
        app.Logger.LogInformation("Analytics rebuilt: the facts of {Rows} orders recomputed.", rows);
        return 0;
    }
}
