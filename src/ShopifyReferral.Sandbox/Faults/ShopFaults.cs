namespace ShopifyReferral.Sandbox.Faults;

/// <summary>How a "drop after commit" fault ends the request once the mutation has taken effect.</summary>
public enum DropMode
{
    /// <summary>A 502 Bad Gateway, as a proxy in front of Shopify answers when the upstream went away.</summary>
    BadGateway,

    /// <summary>The connection is reset with no response at all.</summary>
    Abort,
}

/// <summary>One queued fault; see <see cref="ShopFaults"/> for what each kind does.</summary>
internal abstract record Fault
{
    public sealed record Status(int Code, TimeSpan? RetryAfter) : Fault;

    public sealed record Latency(TimeSpan Delay) : Fault;

    /// <summary>An OAuth error answer from the token endpoint: <c>{"error": Error, "error_description": …}</c>.</summary>
    public sealed record OAuthError(int Code, string Error) : Fault;
}

/// <summary>
/// Faults queued for one shop's Admin GraphQL endpoint, for resilience tests. Status and latency
/// faults are taken by the next requests in order; drop-after-commit faults wait for the next request
/// that runs a mutation, so the write lands and only the answer is lost, which is the case that forces
/// callers to be idempotent (look the discount up by code before creating it again).
/// </summary>
public sealed class ShopFaults
{
    private readonly Lock _gate = new();
    private readonly Queue<Fault> _before = new();
    private readonly Queue<DropMode> _drops = new();
    private readonly Queue<Fault> _token = new();

    /// <summary>The next <paramref name="count"/> requests answer <paramref name="status"/> (5xx by default 503) without running.</summary>
    public ShopFaults FailNext(int count = 1, int status = 503)
    {
        if (status is < 400 or > 599) throw new ArgumentOutOfRangeException(nameof(status), status, "Use a 4xx or 5xx status.");
        return Enqueue(count, new Fault.Status(status, null));
    }

    /// <summary>
    /// The next requests answer 429 with <c>Retry-After</c> in seconds, as Shopify's REST and resource-based
    /// limits do (docs/shopify-facts.md#rate-limits); Shopify has sent fractional values such as "2.0".
    /// </summary>
    public ShopFaults RateLimitNext(int count = 1, TimeSpan? retryAfter = null) =>
        Enqueue(count, new Fault.Status(429, retryAfter ?? TimeSpan.FromSeconds(1)));

    /// <summary>The next requests are held for <paramref name="delay"/> of wall-clock time, then served normally.</summary>
    public ShopFaults DelayNext(int count, TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        return Enqueue(count, new Fault.Latency(delay));
    }

    /// <summary>The next <paramref name="count"/> mutations take effect, then the answer is lost (502 or reset).</summary>
    public ShopFaults DropAfterCommitNext(int count = 1, DropMode mode = DropMode.BadGateway)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        lock (_gate)
            for (var i = 0; i < count; i++) _drops.Enqueue(mode);
        return this;
    }

    /// <summary>
    /// The next <paramref name="count"/> requests to the shop's token endpoint (<c>/admin/oauth/access_token</c>) answer
    /// <paramref name="status"/> with the OAuth <paramref name="error"/> code, without looking at the grant.
    /// </summary>
    public ShopFaults FailTokenRequestsNext(int count, int status, string error)
    {
        if (status is < 400 or > 599) throw new ArgumentOutOfRangeException(nameof(status), status, "Use a 4xx or 5xx status.");
        return EnqueueToken(count, new Fault.OAuthError(status, error));
    }

    /// <summary>The next requests to the shop's token endpoint are held for <paramref name="delay"/>, then served normally.</summary>
    public ShopFaults DelayTokenRequestsNext(int count, TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        return EnqueueToken(count, new Fault.Latency(delay));
    }

    /// <summary>
    /// From now on, each request fails with a 5xx with probability <paramref name="failRate"/>, and each mutation that
    /// ran loses its answer with probability <paramref name="dropRate"/>; seeded, so a failing test replays the same faults.
    /// </summary>
    public ShopFaults Randomly(double failRate, double dropRate = 0, int seed = 12345)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(failRate);
        ArgumentOutOfRangeException.ThrowIfNegative(dropRate);
        lock (_gate)
        {
            _failRate = failRate;
            _dropRate = dropRate;
            _random = new Random(seed);
        }
        return this;
    }

    private double _failRate, _dropRate;
    private Random _random = new(12345);

    /// <summary>Faults not yet used up.</summary>
    public int Pending { get { lock (_gate) return _before.Count + _drops.Count + _token.Count; } }

    public void Clear()
    {
        lock (_gate)
        {
            _before.Clear();
            _drops.Clear();
            _token.Clear();
            _failRate = _dropRate = 0;
        }
    }

    internal Fault? TakeBefore()
    {
        lock (_gate)
            return _before.TryDequeue(out var f) ? f
                : _failRate > 0 && _random.NextDouble() < _failRate ? new Fault.Status(_random.Next(2) == 0 ? 503 : 500, null)
                : null;
    }

    internal DropMode? TakeDrop()
    {
        lock (_gate)
            return _drops.TryDequeue(out var m) ? m
                : _dropRate > 0 && _random.NextDouble() < _dropRate ? DropMode.BadGateway
                : null;
    }

    internal Fault? TakeToken()
    {
        lock (_gate) return _token.TryDequeue(out var f) ? f : null;
    }

    private ShopFaults EnqueueToken(int count, Fault fault)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        lock (_gate)
            for (var i = 0; i < count; i++) _token.Enqueue(fault);
        return this;
    }

    private ShopFaults Enqueue(int count, Fault fault)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        lock (_gate)
            for (var i = 0; i < count; i++) _before.Enqueue(fault);
        return this;
    }
}
