namespace ShopifyReferral.Referrals;

public static class ReferralsSetup
{
    /// <summary>The engine and its stores; its jobs (code sync, release, issue, clawback, reconcile) are kinds in Jobs/JobsSetup.</summary>
    public static IServiceCollection AddReferrals(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton<ProgramStore>();
        services.AddSingleton<CodeLookup>();
        services.AddSingleton<ReferrerService>();
        services.AddSingleton<FraudRules>();
        services.AddSingleton<FriendOrderCounts>();
        services.AddSingleton<ReferralEngine>();
        services.AddSingleton<ReferralReview>();
        services.AddSingleton<Reconciler>();
        services.AddSingleton<Rewards.RewardLedger>();
        services.AddSingleton<Rewards.StoreCreditDebits>();
        services.AddSingleton<Rewards.StoreCreditClawback>();
        return services;
    }
}
