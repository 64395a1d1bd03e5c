using Microsoft.Extensions.Options;

namespace ShopifyReferral.Jobs;

public static class JobsSetup
{
    /// <summary>The queue, its runner, the one worker host, and each kind of job (a kind is registered here once).</summary>
    public static IServiceCollection AddJobs(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<JobOptions>().Bind(config.GetSection("Jobs")).ValidateOnStart();
        services.AddSingleton<IValidateOptions<JobOptions>, JobOptionsValidator>();
        services.AddSingleton<JobSignal>();
        services.AddSingleton<JobQueue>();
        services.AddSingleton<JobRunner>();
        services.AddSingleton<JobsNow>();
        Kind<JobAudit>(services);
        Kind<Referrals.ReferrerCodeSync>(services);
        Kind<Referrals.HoldSweeper>(services);
        Kind<Rewards.RewardIssuer>(services);
        Kind<Rewards.Clawback>(services);
        Kind<Rewards.CreditDebtCollector>(services);
        Kind<Rewards.RewardThanks>(services);
        Kind<Events.EventDelivery>(services);
        Kind<Flow.FlowTriggerJob>(services);
        Kind<Referrals.ReconcileJob>(services);
        Kind<Webhooks.InboxPruner>(services);
        Kind<Shops.TokenKeepAlive>(services);
        Kind<Discounts.CodeUsageCheck>(services);
        services.AddHostedService<Workers>();
        return services;
    }

    // Resolvable as itself (tests and the demo drive a kind by hand) and among the runner's handlers.
    private static void Kind<T>(IServiceCollection services) where T : class, IJobHandler
    {
        services.AddSingleton<T>();
        services.AddSingleton<IJobHandler>(sp => sp.GetRequiredService<T>());
    }
}
