namespace ShopifyReferral.Tests.Sandbox;

/// <summary>A clock tests move by hand, so token expiry and bucket refills need no sleeping.</summary>
internal sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
