namespace ShopifyReferral.Sandbox.Throttle;

/// <summary>What Shopify reports in <c>extensions.cost.throttleStatus</c>.</summary>
public sealed record ThrottleStatus(double MaximumAvailable, int CurrentlyAvailable, double RestoreRate);

/// <summary>
/// Shopify's per-(app, shop) leaky bucket for GraphQL cost points (docs/shopify-facts.md#rate-limits): the requested
/// cost is taken up front and the unused part refunded after execution. Driven by <see cref="TimeProvider"/>
/// so tests can empty it and refill it by moving a fake clock.
/// </summary>
public sealed class LeakyBucket(double maximumAvailable, double restoreRate, TimeProvider time)
{
    private readonly Lock _gate = new();
    private double _available = double.PositiveInfinity; // clamped to full on first refill
    private DateTimeOffset _last = time.GetUtcNow();

    public double MaximumAvailable => maximumAvailable;
    public double RestoreRate => restoreRate;

    public ThrottleStatus Status()
    {
        lock (_gate)
        {
            Refill();
            return Snapshot();
        }
    }

    /// <summary>Takes <paramref name="cost"/> points if that many are available; never goes negative.</summary>
    public bool TryTake(int cost, out ThrottleStatus status)
    {
        lock (_gate)
        {
            Refill();
            var ok = cost <= _available;
            if (ok) _available -= cost;
            status = Snapshot();
            return ok;
        }
    }

    public ThrottleStatus Refund(int points)
    {
        lock (_gate)
        {
            Refill();
            _available = Math.Min(maximumAvailable, _available + Math.Max(0, points));
            return Snapshot();
        }
    }

    /// <summary>Sets the level directly; tests use it to drain the bucket without sending 200 requests.</summary>
    public void SetAvailable(double points)
    {
        lock (_gate)
        {
            Refill();
            _available = Math.Clamp(points, 0, maximumAvailable);
        }
    }

    private void Refill()
    {
        var now = time.GetUtcNow();
        var seconds = Math.Max(0, (now - _last).TotalSeconds);
        _available = Math.Min(maximumAvailable, _available + seconds * restoreRate);
        _last = now;
    }

    private ThrottleStatus Snapshot() => new(maximumAvailable, (int)Math.Floor(_available), restoreRate);
}
