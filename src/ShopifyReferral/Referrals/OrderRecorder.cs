using System.Globalization;
using System.Text.Json;
using Dapper;
using ShopifyReferral.Data;
using ShopifyReferral.Webhooks;

namespace ShopifyReferral.Referrals;

/// <summary>
/// Records the latest state of each order, whichever topic brings it, and every refund. Deliveries come
/// duplicated, out of order and stale (a retry carries the original payload), so an order row only moves
/// forward in updated_at and refunds are keyed by their own id. The referral engine builds on these rows.
/// </summary>
public sealed class OrderRecorder(Db db, ReferralEngine engine, FriendOrderCounts friendOrders, TimeProvider time) : IWebhookHandler
{
    public IReadOnlyCollection<string> Topics { get; } =
        ["orders/create", "orders/paid", "orders/updated", "orders/cancelled", "refunds/create"];

    // Its caches (programs, code owners) are re-checked against the rows where they take effect, so an undone write
    // leaves nothing wrong behind; its one Shopify call (a customer's order count) is read ahead of the batch, and
    // when that could not be done it makes the row run on its own.
    public bool JoinsBatch => true;

    public Task<IReadOnlyList<PreRead>> PreReadAsync(IReadOnlyList<InboxRow> rows, CancellationToken ct) => friendOrders.PreReadAsync(rows, ct);

    public async Task HandleAsync(WebhookMessage message, CancellationToken ct)
    {
        var p = message.Payload;
        if (message.Topic == "refunds/create")
        {
            await RecordRefundAsync(message, ct);
            await engine.OnOrderAsync(message.Shop, RequiredId(p, "order_id"), ct);
            await RefreshFactsAsync(message.Shop, RequiredId(p, "order_id"), ct);
            return;
        }
        await RecordOrderAsync(message, ct);
        // The engine judges the stored order, so a stale delivery (ignored by the upsert) still finds the latest state.
        await engine.OnOrderAsync(message.Shop, RequiredId(p, "id"), ct, (Nested(p, "customer", "first_name"), Nested(p, "customer", "last_name")));
        await RefreshFactsAsync(message.Shop, RequiredId(p, "id"), ct);
    }

    // After the engine: it may have created or rejected the order's referral, which decides the referred flag.
    private async Task RefreshFactsAsync(string shop, long orderId, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        // The facts and the rollups they move commit together (a savepoint inside a webhook batch).
        await using var tx = await conn.BeginTransactionAsync(ct);
        await OrderAnalyticsFacts.RefreshOrderAsync(conn, tx, shop, orderId);
        await tx.CommitAsync(ct);
    }

    private async Task RecordRefundAsync(WebhookMessage message, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var p = message.Payload;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var currency = RefundCurrency(p);
        await conn.ExecuteAsync("""
            INSERT INTO refunds (shop, refund_id, order_id, currency, amount_minor, subtotal_minor, created_at, recorded_at)
            SELECT @shop, @refund_id, @order_id, @currency, @amount_minor, @subtotal_minor, @created_at, @now
            WHERE NOT EXISTS (SELECT 1 FROM refunds WHERE shop = @shop AND refund_id = @refund_id)
            """, new
        {
            shop = message.Shop, refund_id = RequiredId(p, "id"), order_id = RequiredId(p, "order_id"),
            currency, amount_minor = Money.ToMinor(RefundAmount(p), currency),
            subtotal_minor = Money.ToMinor(RefundSubtotal(p), currency), created_at = Time(p, "created_at"), now,
        });
    }

    private async Task RecordOrderAsync(WebhookMessage message, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var p = message.Payload;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var currency = Str(p, "currency");
        var order = new
        {
            shop = message.Shop,
            order_id = RequiredId(p, "id"),
            name = Str(p, "name"),
            customer_id = CustomerId(p),
            email = Str(p, "email"),
            email_key = Identity.Email(Str(p, "email") ?? Nested(p, "customer", "email")),
            financial_status = Str(p, "financial_status"),
            cancelled = Str(p, "cancelled_at") is not null || message.Topic == "orders/cancelled",
            test = IsTest(p),
            currency,
            subtotal_minor = Money.Parse(Str(p, "subtotal_price"), currency),
            total_minor = Money.Parse(Str(p, "total_price"), currency),
            discount_codes = DiscountCodes(p),
            order_updated_at = Time(p, "updated_at") ?? throw new PermanentWebhookException("The order has no updated_at."),
            created_at = Time(p, "created_at"),
            last_topic = message.Topic,
            recorded_at = now,
            phone = Identity.Phone(Str(p, "phone") ?? Nested(p, "customer", "phone") ?? Nested(p, "shipping_address", "phone")),
            shipping_fingerprint = p.TryGetProperty("shipping_address", out var a) && a.ValueKind == JsonValueKind.Object
                ? Identity.Address(Str(a, "address1"), Str(a, "address2"), Str(a, "zip"), Str(a, "country_code"))
                : null,
            browser_ip = Nested(p, "client_details", "browser_ip") ?? Str(p, "browser_ip"),
            user_agent = Nested(p, "client_details", "user_agent"),
            discounted_subtotal_minor = Money.Parse(Str(p, "current_subtotal_price") ?? Str(p, "subtotal_price"), currency),
            // Parsed here, once per delivery, so matching the referral later reads it from the row (a reconciled copy leaves it alone).
            landing_channel = LandingChannel.Of(Str(p, "landing_site")),
        };
        if (Reconciler.IsCopy(message)) await ReconciledOrder.RecordAsync(conn, order);
        else await conn.ExecuteAsync(db.Dialect.UpsertOrder, order);
    }

    /// <summary>Shopify sends no refund total: add up the successful refund transactions.</summary>
    internal static decimal RefundAmount(JsonElement refund) =>
        refund.TryGetProperty("transactions", out var txs) && txs.ValueKind == JsonValueKind.Array
            ? txs.EnumerateArray()
                .Where(tx => Str(tx, "kind") == "refund" && Str(tx, "status") == "success")
                .Sum(tx => decimal.Parse(Str(tx, "amount") ?? "0", CultureInfo.InvariantCulture))
            : 0m;

    /// <summary>
    /// The currency of the refund's money, which decides its minor unit: the line items' shop money, else the
    /// transactions' currency. A refund has no top-level currency field.
    /// </summary>
    internal static string? RefundCurrency(JsonElement refund)
    {
        if (refund.TryGetProperty("refund_line_items", out var lines) && lines.ValueKind == JsonValueKind.Array)
            foreach (var line in lines.EnumerateArray())
                if (line.TryGetProperty("subtotal_set", out var set) && set.ValueKind == JsonValueKind.Object
                    && Nested(set, "shop_money", "currency_code") is { } c)
                    return c;
        if (refund.TryGetProperty("transactions", out var txs) && txs.ValueKind == JsonValueKind.Array)
            foreach (var tx in txs.EnumerateArray())
                if (Str(tx, "currency") is { } c) return c;
        return null;
    }

    /// <summary>The refunded line items before tax: what comes off the subtotal the friend-order minimum is about.</summary>
    internal static decimal RefundSubtotal(JsonElement refund) =>
        refund.TryGetProperty("refund_line_items", out var lines) && lines.ValueKind == JsonValueKind.Array
            ? lines.EnumerateArray().Sum(l => l.TryGetProperty("subtotal", out var v) ? Amount(v) : 0m)
            : 0m;

    private static decimal Amount(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Number => v.GetDecimal(),
        JsonValueKind.String => decimal.TryParse(v.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? d : 0m,
        _ => 0m,
    };

    /// <summary>The order's customer account; null for a guest checkout.</summary>
    internal static long? CustomerId(JsonElement order) =>
        order.TryGetProperty("customer", out var c) && c.ValueKind == JsonValueKind.Object && c.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number
            ? id.GetInt64()
            : null;

    internal static bool IsTest(JsonElement order) => order.TryGetProperty("test", out var t) && t.ValueKind == JsonValueKind.True;

    /// <summary>The codes the order carries, upper-cased and comma-separated as orders.discount_codes keeps them.</summary>
    internal static string? DiscountCodes(JsonElement order) =>
        order.TryGetProperty("discount_codes", out var codes) && codes.ValueKind == JsonValueKind.Array
            ? string.Join(',', codes.EnumerateArray().Select(d => Str(d, "code")?.ToUpperInvariant()).Where(s => !string.IsNullOrEmpty(s)))
            : null;

    internal static long RequiredId(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var id)
            ? id
            : throw new PermanentWebhookException($"The payload has no numeric '{name}'.");

    internal static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string? Nested(JsonElement e, string obj, string name) =>
        e.TryGetProperty(obj, out var o) && o.ValueKind == JsonValueKind.Object ? Str(o, name) : null;

    internal static long? Time(JsonElement e, string name) =>
        Str(e, name) is { } s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
            ? t.ToUnixTimeMilliseconds()
            : null;
}
