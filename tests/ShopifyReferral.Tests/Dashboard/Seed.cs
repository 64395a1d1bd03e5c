using ShopifyReferral.Referrals;
using Dapper;
using System.Data.Common;

namespace ShopifyReferral.Tests.Dashboard;

/// <summary>
/// Writes rows straight into the app's tables, as the engine would have left them (with the order's analytics facts,
/// which the recorder refreshes after each write: Analytics/OrderAnalyticsFacts.cs). Times are noon UTC of a day.
/// </summary>
internal sealed class Seed(DbConnection db, string shop)
{
    private long _nextOrder = 9000;

    public static long Noon(int month, int day, int year = 2026) => new DateTimeOffset(year, month, day, 12, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    public long Order(long? customer, long at, string subtotal, string? discounted = null, bool test = false, bool cancelled = false, string? email = null)
    {
        var id = ++_nextOrder;
        db.Execute("""
            INSERT INTO orders (shop, order_id, name, customer_id, email, financial_status, cancelled, test, currency, subtotal_minor, total_minor,
                                discounted_subtotal_minor, order_updated_at, created_at, last_topic, recorded_at)
            VALUES (@shop, @id, @name, @customer, @email, 'paid', @cancelled, @test, 'USD', @subtotal, @subtotal, @discounted, @at, @at, 'orders/paid', @at)
            """, new { shop, id, name = "#" + id, customer, email, cancelled, test, subtotal = Cents(subtotal), discounted = Cents(discounted), at });
        Facts(id);
        return id;
    }

    public long Referrer(long customer, string first, string? last, string email, string code, long enrolledAt) =>
        db.ExecuteScalar<long>("""
            INSERT INTO referrers (shop, customer_id, email, first_name, last_name, code, code_status, program_version, enrolled_at)
            VALUES (@shop, @customer, @email, @first, @last, @code, 'live', 1, @enrolledAt) RETURNING id
            """, new { shop, customer, email, first, last, code, enrolledAt });

    public long Referral(long order, long referrer, string status, long at, string? friendEmail = null, string subtotal = "0", string? reason = null,
        long? holdUntil = null)
    {
        var id = db.ExecuteScalar<long>("""
            INSERT INTO referrals (shop, order_id, order_name, referrer_id, code, friend_email, program_version, status, status_reason, currency,
                                   order_subtotal_minor, paid_at, hold_until, order_updated_at, created_at, updated_at)
            SELECT @shop, @order, '#' || @order, @referrer, code, @friendEmail, 1, @status, @reason, 'USD', @subtotal, @at, @holdUntil, @at, @at, @at
            FROM referrers WHERE id = @referrer RETURNING id
            """, new { shop, order, referrer, status, at, friendEmail, subtotal = Cents(subtotal), reason, holdUntil });
        Facts(order);
        return id;
    }

    private void Facts(long order) => ShopifyReferral.Referrals.OrderAnalyticsFacts.RefreshOrderAsync(db, null, shop, order).GetAwaiter().GetResult();

    public void Check(long referral, string rule, string outcome, string evidence, long at) =>
        db.Execute("INSERT INTO referral_checks (referral_id, rule, outcome, evidence, checked_at) VALUES (@referral, @rule, @outcome, @evidence, @at)",
            new { referral, rule, outcome, evidence, at });

    public long Reward(long referrer, long? referral, string key, string type, string value, string status, long? issuedAt, long? expiresAt = null, string? code = null,
        long? createdAt = null) =>
        db.ExecuteScalar<long>("""
            INSERT INTO rewards (shop, idempotency_key, referrer_id, referral_id, kind, reward_type, value, amount_minor, currency, code, status,
                                 expires_at, created_at, issued_at)
            VALUES (@shop, @key, @referrer, @referral, 'referral', @type, @percent, @amount, 'USD', @code, @status, @expiresAt, COALESCE(@createdAt, @issuedAt, 0), @issuedAt)
            RETURNING id
            """, new
        {
            shop, key, referrer, referral, type, code, status, issuedAt, expiresAt, createdAt,
            percent = type == "percentage" ? value : null, amount = type is "fixed_amount" or "store_credit" ? Cents(value) : null,
        });

    /// <summary>A decimal string ("43.20") as the app stores it: minor units of USD.</summary>
    public static long? Cents(string? amount) => ShopifyReferral.Data.Money.Parse(amount, "USD");

    /// <summary>A day's counter of page views, as Storefront/PageViews.cs leaves it; <paramref name="at"/> is any time of that UTC day.</summary>
    public void PageViews(string surface, long at, long views) =>
        db.Execute("INSERT INTO page_view_days (shop, day, surface, views) VALUES (@shop, @day, @surface, @views)",
            new { shop, day = at - at % 86_400_000, surface, views });

    /// <summary>Clicks as the storefront records them: each its row and its day's counter (Storefront/ShareClicks.cs).</summary>
    public void Clicks(long referrer, string channel, long at, int count)
    {
        var code = db.ExecuteScalar<string>("SELECT code FROM referrers WHERE id = @referrer", new { referrer })!;
        for (var i = 0; i < count; i++)
            ShopifyReferral.Storefront.ShareClicks.RecordAsync(db, shop, referrer, code, channel, null, at + i).GetAwaiter().GetResult();
    }
}
