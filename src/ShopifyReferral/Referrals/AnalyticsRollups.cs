using System.Data.Common;
using System.Runtime.CompilerServices;
using Dapper;
using ShopifyReferral.Data;

namespace ShopifyReferral.Referrals;

/// <summary>
/// Keeps the analytics rollups (migration 0051) in step with the orders: order_days (per UTC day and group, the
/// period sums and the "new in a window of up to 7 days" counts) and customer_facts (first and last counted order,
/// first-order-referred). Each order row remembers what it added to order_days (rolled_*). After a change, the
/// touched customer's orders are read (a customer has few), what each should add is computed here, and only the
/// difference is written, in the caller's transaction: so a rollup always equals the sum of its rows, whatever order
/// deliveries come in, and a rolled-back change takes its difference with it.
/// </summary>
public static partial class AnalyticsRollups
{
    public const long DayMs = 86_400_000;

    /// <summary>The longest bucket whose distinct customers the rollup answers (a week).</summary>
    public const int NewDays = 7;

    /// <summary>Group of an order with no customer; 0 and 1 are "the customer's first order was (not) referred".</summary>
    public const int NoCustomer = 2;

    /// <summary>What one order adds to order_days: nothing when Day is null.</summary>
    internal readonly record struct Contribution(long? Day, int Group, int New, bool Referred, long Revenue, long? Customer);

    internal sealed record OrderRow
    {
        public long OrderId { get; init; }
        public long? CustomerId { get; init; }
        public bool Counted { get; init; }
        public long? CreatedAt { get; init; }
        public bool Referred { get; init; }
        public long RevenueMinor { get; init; }
        public long? RolledDay { get; init; }
        public int RolledGroup { get; init; }
        public int RolledNew { get; init; }
        public int RolledReferred { get; init; }
        public long RolledRevenueMinor { get; init; }
        public long? RolledCustomerId { get; init; }

        public Contribution Rolled => new(RolledDay, RolledGroup, RolledNew, RolledReferred != 0, RolledRevenueMinor, RolledCustomerId);
    }

    private const string Columns = """
        order_id, customer_id, counted, created_at, referred, revenue_minor, rolled_day, rolled_group, rolled_new,
        rolled_referred, rolled_revenue_minor, rolled_customer_id
        """;

    /// <summary>After order (@shop, @orderId)'s facts changed: its customer's rollups (and its former customer's).</summary>
    public static async Task RefreshOrderAsync(DbConnection conn, DbTransaction? tx, string shop, long orderId)
    {
        var row = await conn.QuerySingleOrDefaultAsync<OrderRow>(
            $"SELECT {Columns} FROM orders WHERE shop = @shop AND order_id = @orderId", new { shop, orderId }, tx);
        if (row is null) return;
        var dialect = SqlDialect.Of(conn);
        // Ascending, so two transactions touching the same two customers lock them in the same order.
        foreach (var customer in new[] { row.CustomerId, row.RolledCustomerId }.OfType<long>().Distinct().Order())
            await RefreshCustomerAsync(conn, tx, dialect, shop, customer);
        if (row.CustomerId is null) await WriteAsync(conn, tx, dialect, shop, [row], Compute([row], customer: null));
    }

    private static async Task RefreshCustomerAsync(DbConnection conn, DbTransaction? tx, SqlDialect dialect, string shop, long customer)
    {
        var p = new { shop, customer_id = customer };
        if (dialect.LockCustomerRollup is not null) await conn.ExecuteAsync(dialect.LockCustomerRollup, p, tx);
        var rows = (await conn.QueryAsync<OrderRow>(
            $"SELECT {Columns} FROM orders WHERE shop = @shop AND customer_id = @customer_id", p, tx)).ToList();
        var contributions = Compute(rows, customer);
        await WriteAsync(conn, tx, dialect, shop, rows, contributions);
        var counted = rows.Where(r => r.Counted).ToList();
        if (counted.Count == 0)
        {
            await conn.ExecuteAsync("DELETE FROM customer_facts WHERE shop = @shop AND customer_id = @customer_id", p, tx);
            return;
        }
        var first = counted.Min(r => r.CreatedAt!.Value);
        await conn.ExecuteAsync(dialect.UpsertCustomerFacts, new
        {
            shop, customer_id = customer, first_at = first, last_at = counted.Max(r => r.CreatedAt!.Value),
            first_referred = counted.Any(r => r.CreatedAt == first && r.Referred) ? 1 : 0,
        }, tx);
    }

    /// <summary>
    /// What each of one customer's orders adds (or of one order without a customer): counted orders only, in
    /// (created_at, order_id) order; the group is whether the first was referred (a tie: referred wins, as in the
    /// report's own reading); New is the days since the previous counted order, 7 when a week or more or none.
    /// </summary>
    internal static Contribution[] Compute(IReadOnlyList<OrderRow> rows, long? customer)
    {
        var result = new Contribution[rows.Count];
        var counted = Enumerable.Range(0, rows.Count).Where(i => rows[i].Counted && rows[i].CreatedAt is not null)
            .OrderBy(i => rows[i].CreatedAt).ThenBy(i => rows[i].OrderId).ToList();
        if (customer is null)
        {
            foreach (var i in counted) result[i] = new(Day(rows[i].CreatedAt!.Value), NoCustomer, 0, rows[i].Referred, rows[i].RevenueMinor, null);
            return result;
        }
        if (counted.Count == 0) return result;
        var firstAt = rows[counted[0]].CreatedAt;
        var group = counted.Any(i => rows[i].CreatedAt == firstAt && rows[i].Referred) ? 1 : 0;
        long? previous = null;
        foreach (var i in counted)
        {
            var day = Day(rows[i].CreatedAt!.Value);
            var fresh = previous is { } d ? (int)Math.Min(day - d, NewDays) : NewDays;
            result[i] = new(day, group, fresh, rows[i].Referred, rows[i].RevenueMinor, customer);
            previous = day;
        }
        return result;
    }

    // Truncating, as the SQL's integer division does (times are never before 1970).
    private static long Day(long at) => at / DayMs;

    private static async Task WriteAsync(DbConnection conn, DbTransaction? tx, SqlDialect dialect, string shop,
        IReadOnlyList<OrderRow> rows, Contribution[] contributions)
    {
        var cells = new Dictionary<(long Day, int Group), long[]>();
        void Add(Contribution c, int sign)
        {
            if (c.Day is not { } day) return;
            if (!cells.TryGetValue((day, c.Group), out var v)) cells[(day, c.Group)] = v = new long[4 + NewDays];
            v[0] += sign;
            v[1] += c.Referred ? sign : 0;
            v[2] += sign * c.Revenue;
            v[3] += c.Referred ? sign * c.Revenue : 0;
            for (var j = 1; j <= NewDays; j++) v[3 + j] += c.New >= j ? sign : 0;
        }
        for (var i = 0; i < rows.Count; i++)
        {
            var (was, now) = (rows[i].Rolled, contributions[i]);
            if (was == now) continue;
            Add(was, -1);
            Add(now, +1);
            await conn.ExecuteAsync("""
                UPDATE orders SET rolled_day = @Day, rolled_group = @Group, rolled_new = @New, rolled_referred = @referred,
                    rolled_revenue_minor = @Revenue, rolled_customer_id = @Customer
                WHERE shop = @shop AND order_id = @orderId
                """, new { now.Day, now.Group, now.New, referred = now.Referred ? 1 : 0, now.Revenue, now.Customer, shop, orderId = rows[i].OrderId }, tx);
        }
        var shard = Shard(conn, dialect);
        foreach (var ((day, group), v) in cells)
        {
            if (v.All(x => x == 0)) continue;
            await conn.ExecuteAsync(dialect.AddToOrderDay, new
            {
                shop, day, grp = group, shard, orders = v[0], referred_orders = v[1], revenue_minor = v[2], referred_revenue_minor = v[3],
                new1 = v[4], new2 = v[5], new3 = v[6], new4 = v[7], new5 = v[8], new6 = v[9], new7 = v[10],
            }, tx);
        }
    }

    // One shard per physical connection: a batch writes through one, so two workers rarely share a row.
    private static int Shard(DbConnection conn, SqlDialect dialect) => dialect.RollupShards <= 1 ? 0
        : (RuntimeHelpers.GetHashCode(conn is SharedConnection s ? s.Inner : conn) & int.MaxValue) % dialect.RollupShards;
}
