using ShopifyReferral.Analytics;
using ShopifyReferral.Dashboard;
using ShopifyReferral.Merchant;

namespace ShopifyReferral.Merchant;

/// <summary>
/// GET /api/analytics?from=2026-11-01&amp;to=2026-11-30&amp;interval=day|week. Dates follow <see cref="DateRange"/>
/// (UTC days, both included). Without dates: the last 30 days up to today.
/// </summary>
public static class AnalyticsApi
{
    private const int MaxBuckets = 400;

    public static RouteGroupBuilder MapAnalyticsApi(this RouteGroupBuilder api)
    {
        api.MapGroup("/analytics").WithTags("Analytics").MapGet("", Report).WithSummary("The program's KPIs and series for a period").Produces<AnalyticsReport>();
        return api;
    }

    private static async Task<IResult> Report(HttpContext http, AnalyticsStore store, TimeProvider time, string? from, string? to, string? interval)
    {
        if (!DateRange.TryParse(from, to, out var range, out var problem)) return problem!;
        Interval step;
        if (interval is null or "day") step = Interval.Day;
        else if (interval == "week") step = Interval.Week;
        else return Problems.Invalid("interval", "day or week.");
        var today = new DateTimeOffset(time.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);
        var end = range.End ?? today.AddDays(1);
        var start = range.Start ?? end.AddDays(-30);
        if (start >= end) return Problems.Invalid("from", $"'from' is after today ({today:yyyy-MM-dd}); give 'to' as well to look ahead.");
        var days = (end - start).TotalDays;
        if (days / (step == Interval.Week ? 7 : 1) > MaxBuckets)
            return Problems.Invalid("to", $"At most {MaxBuckets} {(step == Interval.Week ? "weeks" : "days")} at a time; choose a shorter range or interval=week.");
        return TypedResults.Ok(await store.ReportAsync(http.ShopSession().Shop, start, end, step, http.RequestAborted));
    }
}
