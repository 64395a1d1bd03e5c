using ShopifyReferral.Dashboard;
using ShopifyReferral.Merchant;

namespace ShopifyReferral.Analytics;

/// <summary>
/// GET /api/analytics?from=2026-11-01&amp;to=2026-11-30&amp;interval=day|week. Dates are UTC days, both included:
/// the range is [from 00:00, the day after to 00:00). Without dates: the last 30 days up to today.
/// </summary>
public static class AnalyticsApi
{
    private const int MaxBuckets = 400;

    public static RouteGroupBuilder MapAnalyticsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/analytics", Report);
        return api;
    }

    private static async Task<IResult> Report(HttpContext http, AnalyticsStore store, TimeProvider time, string? from, string? to, string? interval)
    {
        if (!Problems.TryDate(from, "from", out var f, out var error) || !Problems.TryDate(to, "to", out var t, out error))
            return Problems.BadRequest(error!);
        Interval step;
        if (interval is null or "day") step = Interval.Day;
        else if (interval == "week") step = Interval.Week;
        else return Problems.BadRequest("'interval' is day or week.");
        var today = new DateTimeOffset(time.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);
        var end = (t is { } tt ? new DateTimeOffset(tt.UtcDateTime.Date, TimeSpan.Zero) : today).AddDays(1);
        var start = f is { } ff ? new DateTimeOffset(ff.UtcDateTime.Date, TimeSpan.Zero) : end.AddDays(-30);
        if (start >= end) return Problems.BadRequest("'from' must be on or before 'to'.");
        var days = (end - start).TotalDays;
        if (days / (step == Interval.Week ? 7 : 1) > MaxBuckets)
            return Problems.BadRequest($"At most {MaxBuckets} {(step == Interval.Week ? "weeks" : "days")} at a time; choose a shorter range or interval=week.");
        return TypedResults.Ok(await store.ReportAsync(http.ShopSession().Shop, start, end, step, http.RequestAborted));
    }
}
