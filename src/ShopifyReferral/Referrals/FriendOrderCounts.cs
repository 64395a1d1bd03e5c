using System.Collections.Concurrent;
using System.Text.Json;
using ShopifyReferral.Data;
using ShopifyReferral.Shopify;
using ShopifyReferral.Webhooks;

namespace ShopifyReferral.Referrals;

/// <summary>
/// Shopify's count of a friend's orders, for "friend is new": order payloads no longer carry orders_count, and the
/// store knows the orders from before the app was installed. For a claimed batch the counts of the friends it will
/// judge are asked before its transaction, a few at once (the shop's pacer keeps them within its rate limit), so
/// those orders are judged in the batch. A count not asked ahead, or whose call failed, is asked where the rule needs
/// it; inside a batch that makes its row run on its own, as it did before there was a read ahead.
/// </summary>
public sealed class FriendOrderCounts(Db db, IShopifyAdmin shopify, CodeLookup codes, ProgramStore programs, ILogger<FriendOrderCounts> log)
{
    private const string What = "shopify.customer.numberOfOrders";

    /// <summary>Calls in flight at once for one batch: enough to hide the round trips, few enough not to drain a bucket.</summary>
    private const int AtOnce = 8;

    /// <summary>The count, as read ahead for the current unit of work, or else asked of Shopify now.</summary>
    public static Task<long?> GetAsync(IShopifyAdmin shopify, string shop, long customerId, CancellationToken ct) =>
        UnitOfWork.ReadOnceAsync(What, Key(shop, customerId), () => shopify.GetCustomerOrderCountAsync(shop, Gid(customerId), ct));

    /// <summary>The counts the rows' judgements will ask for; a call that fails is left out (its row asks again itself).</summary>
    public async Task<IReadOnlyList<PreRead>> PreReadAsync(IReadOnlyList<InboxRow> rows, CancellationToken ct)
    {
        var wanted = new HashSet<(string Shop, long Customer)>();
        foreach (var row in rows)
            if (await FriendToCountAsync(row, ct) is { } customer) wanted.Add((row.Shop, customer));
        var known = new ConcurrentBag<PreRead>();
        await Parallel.ForEachAsync(wanted, new ParallelOptions { MaxDegreeOfParallelism = AtOnce, CancellationToken = ct }, async (friend, token) =>
        {
            try
            {
                var count = await shopify.GetCustomerOrderCountAsync(friend.Shop, Gid(friend.Customer), token);
                known.Add(new PreRead(What, Key(friend.Shop, friend.Customer), count));
            }
            catch (Exception ex) when (!token.IsCancellationRequested)
            {
                log.LogDebug(ex, "Reading ahead the order count of customer {Customer} of {Shop} failed; the order asks itself", friend.Customer, friend.Shop);
            }
        });
        return [.. known];
    }

    /// <summary>
    /// The customer of an order its row will judge under a new-customers-only program: paid, real, not cancelled, with
    /// a code of one of the shop's referrers, and no referral judged yet. Each of these is checked again where it takes
    /// effect; here they only spare Shopify calls for orders that will not need one.
    /// </summary>
    private async Task<long?> FriendToCountAsync(InboxRow row, CancellationToken ct)
    {
        if (row.Topic is not ("orders/create" or "orders/paid" or "orders/updated")) return null;
        long orderId;
        long? customer;
        string[] offered;
        try
        {
            using var doc = JsonDocument.Parse(row.Body);
            var p = doc.RootElement;
            // Read with the recorder's own helpers, so this agrees with what it is about to store.
            if (p.ValueKind != JsonValueKind.Object
                || !p.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.Number || !id.TryGetInt64(out orderId)
                || (customer = OrderRecorder.CustomerId(p)) is null
                || !OrderFacts.IsPaidStatus(OrderRecorder.Str(p, "financial_status"))
                || OrderRecorder.IsTest(p)
                || OrderRecorder.Str(p, "cancelled_at") is not null)
                return null;
            offered = (OrderRecorder.DiscountCodes(p) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            return null; // malformed: its row fails for it where it is handled
        }
        var referred = false;
        foreach (var code in offered)
            if (referred = await codes.FindAsync(row.Shop, code, ct) is not null) break;
        if (!referred) return null;
        var referral = await ReferralStore.FindByOrderAsync(db, row.Shop, orderId, ct);
        if (referral is not null && (referral.PaidAt is not null || referral.Status != "pending")) return null;
        var program = (await programs.FindAsync(row.Shop, referral?.ProgramVersion, ct))?.Settings ?? new ProgramSettings();
        return program.NewCustomersOnly ? customer : null;
    }

    private static string Key(string shop, long customerId) => shop + "/" + customerId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Gid(long customerId) => "gid://shopify/Customer/" + customerId.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
