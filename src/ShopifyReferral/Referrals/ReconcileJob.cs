using ShopifyReferral.Jobs;

namespace ShopifyReferral.Referrals;

/// <summary>
/// Job shops.reconcile: reconciliation at start and then every Referrals:ReconcileEvery (default 15 minutes). One job
/// for all instances, so several instances reconcile once between them, not once each.
/// </summary>
public sealed class ReconcileJob(Reconciler reconciler, IConfiguration config, TimeProvider time) : IPeriodicJob
{
    public string Kind => "shops.reconcile";

    public bool NeedsShop => false; // every installed shop, each on its own (one shop's failure never stops the others)

    public TimeSpan Every => config.GetValue("Referrals:ReconcileEvery", TimeSpan.FromMinutes(15));

    public async Task<JobResult> RunAsync(Job job, CancellationToken ct)
    {
        var added = await reconciler.RunOnceAsync(ct);
        return JobResult.Later(time.GetUtcNow() + Every, added > 0);
    }
}
