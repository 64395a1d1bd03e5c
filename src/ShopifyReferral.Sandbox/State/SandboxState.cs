using System.Collections.Concurrent;
using ShopifyReferral.Sandbox.Throttle;

namespace ShopifyReferral.Sandbox.State;

/// <summary>All shops in one sandbox, plus the id sequence they share.</summary>
public sealed class SandboxState(SandboxOptions options)
{
    private readonly ConcurrentDictionary<string, ShopState> _shops = new(StringComparer.OrdinalIgnoreCase);

    // Realistic 13-digit ids so int32 truncation bugs in the app show up.
    private long _nextId = 5_893_217_321_000;

    public IReadOnlyCollection<ShopState> Shops => [.. _shops.Values];

    /// <summary>Shops come into being on first use, like a dev store that is always installed.</summary>
    public ShopState Shop(string domain) => _shops.GetOrAdd(domain, d => new ShopState(d, this,
        new LeakyBucket(options.ThrottleMaximumAvailable, options.ThrottleRestoreRate, options.Time)));

    internal long NextId() => Interlocked.Increment(ref _nextId);

    internal SandboxOptions Options => options;
}
