using System.Data.Common;
using Dapper;

namespace ShopifyReferral.Referrals;

/// <summary>
/// How reconciliation's copy of an order (rebuilt from the Admin API, see <see cref="Reconciler"/>) is recorded.
/// It carries less than a webhook (no phone, addresses, IP or browser), so it must only add what the webhooks
/// missed: an order they never brought is inserted whole; for a known one, a column the webhooks left empty is
/// filled, and the state Shopify moved on to (paid, refunded, cancelled, the current subtotal) is taken only from
/// a strictly newer copy. Evidence and the as-ordered figures the webhooks brought are never replaced.
/// </summary>
internal static class ReconciledOrder
{
    public static async Task RecordAsync(DbConnection conn, object order)
    {
        if (await conn.ExecuteAsync(Insert, order) == 1) return;
        await conn.ExecuteAsync(FillGaps, order);
    }

    private const string Insert = """
        INSERT INTO orders (shop, order_id, name, customer_id, email, financial_status, cancelled, test, currency,
                            subtotal_minor, total_minor, discount_codes, order_updated_at, created_at, last_topic, recorded_at,
                            phone, shipping_fingerprint, browser_ip, user_agent, discounted_subtotal_minor, email_key)
        SELECT @shop, @order_id, @name, @customer_id, @email, @financial_status, @cancelled, @test, @currency,
               @subtotal_minor, @total_minor, @discount_codes, @order_updated_at, @created_at, @last_topic, @recorded_at,
               @phone, @shipping_fingerprint, @browser_ip, @user_agent, @discounted_subtotal_minor, @email_key
        WHERE NOT EXISTS (SELECT 1 FROM orders WHERE shop = @shop AND order_id = @order_id)
        """;

    // Right-hand sides read the row as it was before this UPDATE, so every "newer" test compares with the old time.
    private const string FillGaps = """
        UPDATE orders SET
            name = COALESCE(name, @name), customer_id = COALESCE(customer_id, @customer_id), email = COALESCE(email, @email),
            email_key = COALESCE(email_key, @email_key), currency = COALESCE(currency, @currency),
            subtotal_minor = COALESCE(subtotal_minor, @subtotal_minor), total_minor = COALESCE(total_minor, @total_minor),
            discount_codes = COALESCE(discount_codes, @discount_codes), created_at = COALESCE(created_at, @created_at),
            phone = COALESCE(phone, @phone), shipping_fingerprint = COALESCE(shipping_fingerprint, @shipping_fingerprint),
            browser_ip = COALESCE(browser_ip, @browser_ip), user_agent = COALESCE(user_agent, @user_agent),
            financial_status = CASE WHEN @order_updated_at > order_updated_at THEN COALESCE(@financial_status, financial_status) ELSE financial_status END,
            cancelled = CASE WHEN @order_updated_at > order_updated_at AND @cancelled = 1 THEN 1 ELSE cancelled END,
            discounted_subtotal_minor = CASE WHEN @order_updated_at > order_updated_at THEN COALESCE(@discounted_subtotal_minor, discounted_subtotal_minor) ELSE discounted_subtotal_minor END,
            last_topic = CASE WHEN @order_updated_at > order_updated_at THEN @last_topic ELSE last_topic END,
            recorded_at = CASE WHEN @order_updated_at > order_updated_at THEN @recorded_at ELSE recorded_at END,
            order_updated_at = CASE WHEN @order_updated_at > order_updated_at THEN @order_updated_at ELSE order_updated_at END
        WHERE shop = @shop AND order_id = @order_id
        """;
}
