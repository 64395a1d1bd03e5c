namespace ShopifyReferral.Referrals;

public static class ReferralsSetup
{
    public static IServiceCollection AddReferrals(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton<ProgramStore>();
        services.AddSingleton<CodeLookup>();
        services.AddSingleton<ReferrerCodeSync>();
        // Referrals:Background=false: nothing runs on its own (tests drive each step, or an instance only serves requests).
        var background = config.GetValue("Referrals:Background", true);
        if (background) services.AddHostedService(sp => sp.GetRequiredService<ReferrerCodeSync>());
        services.AddSingleton<ReferrerService>();
        services.AddSingleton<FraudRules>();
        services.AddSingleton<ReferralEngine>();
        services.AddSingleton<HoldSweeper>();
        if (background) services.AddHostedService(sp => sp.GetRequiredService<HoldSweeper>());
        services.AddSingleton<ReferralReview>();
        services.AddSingleton<Reconciler>();
        if (background) services.AddHostedService<ReconcileWorker>();
        services.AddSingleton<Rewards.RewardLedger>();
        services.AddSingleton<Rewards.RewardIssuer>();
        services.AddSingleton<Rewards.Clawback>();
        if (background) services.AddHostedService<Rewards.RewardWorker>();
        return services;
    }
}
