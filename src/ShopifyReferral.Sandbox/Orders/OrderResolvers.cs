using System.Globalization;
using System.Text.RegularExpressions;
using ShopifyReferral.Sandbox.GraphQL;
using ShopifyReferral.Sandbox.State;

namespace ShopifyReferral.Sandbox.Orders;

/// <summary>
/// <c>orders(first:, after:, query:, sortKey:, reverse:)</c> and <c>order(id:)</c>. The search syntax
/// understood is the part reconciliation needs: <c>updated_at:&gt;'2026-11-21T00:00:00Z'</c> (and created_at,
/// with &gt;, &gt;=, &lt;, &lt;=), plus <c>test:true|false</c>; terms are ANDed.
/// </summary>
internal sealed partial class OrderResolvers : IResolverGroup
{
    public void Register(ResolverRegistry registry)
    {
        registry.Query("orders", (ctx, args) =>
        {
            var orders = Sort(ctx.Shop.Orders.Where(Filter(args.String("query"))), args.String("sortKey"));
            if (args["reverse"]?.ToString() == "true") orders.Reverse();
            return Connection.Of("OrderConnection", orders, args,
                o => o.Id.ToString(CultureInfo.InvariantCulture), o => OrderGraph.Order(o, ctx));
        });
        registry.Query("order", (ctx, args) =>
            Scalars.GidId(args.Required("id").ToString(), "Order") is { } id
            && ctx.Shop.Orders.FirstOrDefault(o => o.Id == id) is { } order ? OrderGraph.Order(order, ctx) : null);
    }

    private static List<PlacedOrder> Sort(IEnumerable<PlacedOrder> orders, string? sortKey) => sortKey switch
    {
        "UPDATED_AT" => [.. orders.OrderBy(o => o.UpdatedAt).ThenBy(o => o.Id)],
        "ID" => [.. orders.OrderBy(o => o.Id)],
        _ => [.. orders.OrderBy(o => o.CreatedAt).ThenBy(o => o.Id)],
    };

    private static Func<PlacedOrder, bool> Filter(string? query)
    {
        if (string.IsNullOrWhiteSpace(query)) return _ => true;
        var tests = new List<Func<PlacedOrder, bool>>();
        foreach (Match m in DateTerm().Matches(query))
        {
            if (!DateTimeOffset.TryParse(m.Groups["value"].Value, CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal, out var at)) continue;
            Func<PlacedOrder, DateTimeOffset> field = m.Groups["field"].Value == "updated_at" ? o => o.UpdatedAt : o => o.CreatedAt;
            var op = m.Groups["op"].Value;
            tests.Add(o => op switch
            {
                ">" => field(o) > at,
                ">=" => field(o) >= at,
                "<" => field(o) < at,
                "<=" => field(o) <= at,
                _ => field(o).UtcDateTime.Date == at.UtcDateTime.Date,
            });
        }
        foreach (Match m in TestTerm().Matches(query))
        {
            var wanted = m.Groups["value"].Value == "true";
            tests.Add(o => o.Source.Test == wanted);
        }
        return o => tests.All(t => t(o));
    }

    [GeneratedRegex(@"(?<field>updated_at|created_at):(?<op>>=|<=|>|<)?'?""?(?<value>[0-9T:\-+.Z]+)'?""?")]
    private static partial Regex DateTerm();

    [GeneratedRegex(@"\btest:(?<value>true|false)\b")]
    private static partial Regex TestTerm();
}
