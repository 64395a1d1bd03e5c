namespace ShopifyReferral.Analytics;

/// <summary>
/// The program's headline KPIs for the whole range (README, "KPIs"). Percentages rounded to 2 places; null when the
/// denominator is 0.
/// </summary>
/// <param name="NewCustomers">Customers whose first counted order ever is in the range.</param>
/// <param name="NewCustomersReferred">Those whose first order was referred: the friends the program brought.</param>
/// <param name="NewCustomersReferredShare">NewCustomersReferred / NewCustomers × 100.</param>
/// <param name="FriendsWhoBecameReferrers">Of NewCustomersReferred, those enrolled as referrers before the range's end.</param>
/// <param name="FriendsWhoBecameReferrersShare">FriendsWhoBecameReferrers / NewCustomersReferred × 100.</param>
/// <param name="AovReferred">Referred revenue / referred orders in the range.</param>
/// <param name="AovStore">Revenue / orders of every counted order in the range (referred or not).</param>
/// <param name="AovReferredVsStore">AovReferred / AovStore × 100 (above 100: referred orders are larger).</param>
public sealed record ProgramKpis(
    long NewCustomers, long NewCustomersReferred, decimal? NewCustomersReferredShare,
    long FriendsWhoBecameReferrers, decimal? FriendsWhoBecameReferrersShare,
    decimal? AovReferred, decimal? AovStore, decimal? AovReferredVsStore);

internal static class AnalyticsKpis
{
    public static ProgramKpis Of(PeriodFigures totals, long newReferred, long newNotReferred, long friendsWhoRefer)
    {
        var newCustomers = newReferred + newNotReferred;
        decimal? aovReferred = totals.ReferredOrders == 0 ? null : totals.ReferredRevenue / totals.ReferredOrders;
        decimal? aovStore = totals.Orders == 0 ? null : totals.Revenue / totals.Orders;
        return new ProgramKpis(newCustomers, newReferred, Percent(newReferred, newCustomers),
            friendsWhoRefer, Percent(friendsWhoRefer, newReferred),
            Round(aovReferred), Round(aovStore),
            aovReferred is { } r && aovStore is { } s && s != 0 ? Math.Round(r * 100m / s, 2) : null);
    }

    private static decimal? Round(decimal? d) => d is { } v ? Math.Round(v, 2) : null;
    private static decimal? Percent(decimal n, decimal d) => d == 0 ? null : Math.Round(n * 100m / d, 2);
}
