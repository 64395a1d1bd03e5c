namespace ShopifyReferral.Analytics;

public enum Interval { Day, Week }

/// <summary>The KPIs for a range, with the same figures per bucket for the charts. Formulas: README "KPIs".</summary>
public sealed record AnalyticsReport(
    DateTimeOffset From, DateTimeOffset To, string Interval, string? Currency, PeriodFigures Totals,
    IReadOnlyList<PeriodFigures> Series, CustomerFigures Referred, CustomerFigures NotReferred,
    IReadOnlyList<TopReferrer> TopReferrers, ProgramKpis Kpis, ReferralFunnel Funnel);

/// <summary>Figures for one bucket (or the whole range). Rates are percentages; null when the denominator is 0.</summary>
public sealed record PeriodFigures(
    DateTimeOffset Start, DateTimeOffset End,
    long Orders, long ReferredOrders, long CustomersWhoOrdered, long ReferrersEnrolled, long ReferrersAtEnd,
    long Clicks, IReadOnlyDictionary<string, long> ClicksByChannel,
    decimal Revenue, decimal ReferredRevenue, decimal RewardCost, long RewardsIssued,
    decimal? ParticipationRate, IReadOnlyDictionary<string, decimal?> ShareRateByChannel, decimal? ConversionRate,
    decimal? AovReferred, decimal? AovNotReferred, decimal? RevenuePerRewardCost);

/// <summary>Retention and lifetime value for one group of customers (referred or not) over the range.</summary>
public sealed record CustomerFigures(
    long CustomersAtStart, long NewCustomers, long CustomersWhoOrdered, decimal? RetentionRate,
    long Orders, decimal Revenue, decimal? Aov, decimal? OrdersPerCustomer, decimal? LifespanPeriods, decimal? Clv);

public sealed record TopReferrer(long ReferrerId, string Code, string? Name, string? Email, long Orders, decimal Revenue);
