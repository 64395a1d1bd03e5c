using ShopifyReferral.Sandbox.Throttle;

namespace ShopifyReferral.Sandbox.State;

/// <summary>
/// One store's in-memory data. Writers take <see cref="Gate"/>; readers get snapshots, so tests can
/// inspect state while requests are in flight.
/// </summary>
public sealed class ShopState
{
    private readonly SandboxState _sandbox;
    private readonly Dictionary<long, SandboxCustomer> _customers = [];
    private readonly List<PlacedOrder> _orders = [];
    private int _orderNumber = 1000;

    internal ShopState(string domain, SandboxState sandbox, LeakyBucket bucket)
    {
        Domain = domain;
        _sandbox = sandbox;
        Bucket = bucket;
        Name = domain.Split('.')[0];
        Id = sandbox.NextId();
    }

    public long Id { get; }

    public string Domain { get; }
    public string Name { get; set; }
    public string Currency => _sandbox.Options.Currency;
    public LeakyBucket Bucket { get; }

    internal Lock Gate { get; } = new();
    internal SandboxState Sandbox => _sandbox;

    public IReadOnlyList<SandboxCustomer> Customers { get { lock (Gate) return [.. _customers.Values]; } }
    public IReadOnlyList<PlacedOrder> Orders { get { lock (Gate) return [.. _orders]; } }

    public SandboxCustomer? FindCustomer(long id) { lock (Gate) return _customers.GetValueOrDefault(id); }

    /// <summary>Adds or replaces a customer; id 0 assigns a fresh one.</summary>
    public SandboxCustomer UpsertCustomer(SandboxCustomer customer)
    {
        lock (Gate)
        {
            var saved = customer.Id == 0 ? customer with { Id = _sandbox.NextId() } : customer;
            _customers[saved.Id] = saved;
            return saved;
        }
    }

    internal PlacedOrder AddOrder(Func<long, int, PlacedOrder> build)
    {
        lock (Gate)
        {
            var order = build(_sandbox.NextId(), ++_orderNumber);
            _orders.Add(order);
            return order;
        }
    }

    internal void ReplaceOrder(PlacedOrder order)
    {
        lock (Gate)
        {
            var i = _orders.FindIndex(o => o.Id == order.Id);
            if (i >= 0) _orders[i] = order;
        }
    }
}
