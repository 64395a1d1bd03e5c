using System.Data.Common;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using ShopifyReferral.Data;

namespace ShopifyReferral.Privacy;

public sealed record PrivacyExport(long Id, string Shop, long DataRequestId, long? CustomerId, JsonElement Export, DateTimeOffset CreatedAt);

/// <summary>
/// What the privacy webhooks do to the database. A customer is matched by Shopify id and by email (case-insensitive),
/// and an order also by the ids Shopify lists. Redaction keeps rows and numbers (orders, referrals, rewards, counts) so
/// analytics still add up, and blanks the personal fields: emails, names, phones, address fingerprints, IPs, user
/// agents, rule evidence that may quote them, and the raw bodies of processed deliveries that mention the customer.
/// </summary>
public sealed partial class PrivacyStore(Db db, TimeProvider time)
{
    internal static readonly byte[] RedactedBody = Encoding.UTF8.GetBytes("""{"redacted":true}""");

    public async Task<long> ExportCustomerAsync(string shop, long dataRequestId, long? customerId, string? email, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var args = Args(shop, customerId, email, []);
        var referrers = await Rows(conn, "SELECT * FROM referrers WHERE shop = @shop AND (customer_id = @id OR LOWER(email) = @email)", args);
        var referrerIds = referrers.Select(r => Convert.ToInt64(r["id"])).ToList();
        var export = new Dictionary<string, object?>
        {
            ["shop"] = shop,
            ["data_request_id"] = dataRequestId,
            ["customer"] = new { id = customerId, email },
            ["referrer"] = referrers,
            ["orders"] = await Rows(conn, "SELECT * FROM orders WHERE shop = @shop AND (customer_id = @id OR LOWER(email) = @email)", args),
            ["referrals_as_friend"] = await Rows(conn,
                "SELECT * FROM referrals WHERE shop = @shop AND (friend_customer_id = @id OR LOWER(friend_email) = @email)", args),
            ["referrals_as_referrer"] = await Rows(conn, "SELECT * FROM referrals WHERE shop = @shop AND referrer_id IN @referrerIds",
                new { shop, referrerIds }),
            ["rewards"] = await Rows(conn, "SELECT * FROM rewards WHERE shop = @shop AND referrer_id IN @referrerIds", new { shop, referrerIds }),
            ["webhook_payloads"] = (await MentioningAsync(conn, shop, customerId, email, [], pendingToo: true))
                .Select(m => new { m.Topic, received_at = m.ReceivedAt, payload = JsonDocument.Parse(m.Body).RootElement }).ToList(),
        };
        var json = JsonSerializer.Serialize(export);
        await conn.ExecuteAsync("""
            INSERT INTO privacy_exports (shop, data_request_id, customer_id, export, created_at)
            SELECT @shop, @dataRequestId, @customerId, @json, @now
            WHERE NOT EXISTS (SELECT 1 FROM privacy_exports WHERE shop = @shop AND data_request_id = @dataRequestId)
            """, new { shop, dataRequestId, customerId, json, now = time.GetUtcNow().ToUnixTimeMilliseconds() });
        return await conn.ExecuteScalarAsync<long>(
            "SELECT id FROM privacy_exports WHERE shop = @shop AND data_request_id = @dataRequestId", new { shop, dataRequestId });
    }

    public async Task<PrivacyExport?> FindExportAsync(string shop, long id, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<(long Id, long DataRequestId, long? CustomerId, string Export, long CreatedAt)>(
            "SELECT id, data_request_id, customer_id, export, created_at FROM privacy_exports WHERE id = @id AND shop = @shop", new { id, shop });
        if (row.Export is null) return null;
        return new PrivacyExport(row.Id, shop, row.DataRequestId, row.CustomerId, JsonDocument.Parse(row.Export).RootElement,
            DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedAt));
    }

    public async Task RedactCustomerAsync(string shop, long? customerId, string? email, IReadOnlyList<long> orderIds, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var args = Args(shop, customerId, email, orderIds);
        var referrerIds = (await conn.QueryAsync<long>(
            "SELECT id FROM referrers WHERE shop = @shop AND (customer_id = @id OR LOWER(email) = @email)", args, tx)).AsList();
        var referralIds = (await conn.QueryAsync<long>("""
            SELECT id FROM referrals WHERE shop = @shop AND (friend_customer_id = @id OR LOWER(friend_email) = @email
                OR order_id IN @orders OR referrer_id IN @referrerIds)
            """, new { shop, args.id, args.email, args.orders, referrerIds }, tx)).AsList();
        await conn.ExecuteAsync("""
            UPDATE orders SET email = NULL, email_key = NULL, phone = NULL, shipping_fingerprint = NULL, browser_ip = NULL,
                user_agent = NULL, customer_id = NULL
            WHERE shop = @shop AND (customer_id = @id OR LOWER(email) = @email OR order_id IN @orders)
            """, args, tx);
        await conn.ExecuteAsync("UPDATE referrers SET email = NULL, first_name = NULL, last_name = NULL WHERE id IN @referrerIds",
            new { referrerIds }, tx);
        await conn.ExecuteAsync("""
            UPDATE referrals SET friend_email = NULL, friend_customer_id = NULL
            WHERE shop = @shop AND (friend_customer_id = @id OR LOWER(friend_email) = @email OR order_id IN @orders)
            """, args, tx);
        await conn.ExecuteAsync("UPDATE referral_checks SET evidence = 'Redacted at the customer''s request.' WHERE referral_id IN @referralIds",
            new { referralIds }, tx);
        await conn.ExecuteAsync("DELETE FROM privacy_exports WHERE shop = @shop AND customer_id = @id", args, tx);
        // Raw deliveries hold the whole order (names, addresses, IPs). Processed ones are replaced by a marker; the row
        // stays so its webhook id still dedupes a late redelivery. Rows not yet processed keep their body until they are.
        foreach (var m in await MentioningAsync(conn, shop, customerId, email, orderIds, pendingToo: false, tx))
            await conn.ExecuteAsync("UPDATE webhook_inbox SET body = @body WHERE id = @id", new { id = m.Id, body = RedactedBody }, tx);
        await tx.CommitAsync(ct);
    }

    /// <summary>Every row of the shop, in every table that has a shop column (tables added later included), in one transaction.</summary>
    public async Task RedactShopAsync(string shop, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // Children first, for the foreign keys; referral_checks has no shop column of its own.
        await conn.ExecuteAsync("DELETE FROM referral_checks WHERE referral_id IN (SELECT id FROM referrals WHERE shop = @shop)", new { shop }, tx);
        string[] ordered = ["rewards", "referrals", "referrers"];
        foreach (var table in ordered) await conn.ExecuteAsync($"DELETE FROM {table} WHERE shop = @shop", new { shop }, tx);
        var sql = db.Provider == DatabaseProvider.SqlServer
            ? "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.COLUMNS WHERE COLUMN_NAME = 'shop'"
            : "SELECT m.name FROM sqlite_master m JOIN pragma_table_info(m.name) c WHERE m.type = 'table' AND c.name = 'shop'";
        foreach (var table in (await conn.QueryAsync<string>(sql, transaction: tx)).Except(ordered))
            if (SafeName().IsMatch(table)) // names come from the schema, never from input
                await conn.ExecuteAsync($"DELETE FROM {table} WHERE shop = @shop", new { shop }, tx);
        await tx.CommitAsync(ct);
    }

    private sealed record Mention(long Id, string Topic, long ReceivedAt, byte[] Body);

    private static async Task<List<Mention>> MentioningAsync(DbConnection conn, string shop, long? customerId, string? email,
        IReadOnlyList<long> orderIds, bool pendingToo, DbTransaction? tx = null)
    {
        var rows = await conn.QueryAsync<Mention>(
            "SELECT id, topic, received_at, body FROM webhook_inbox WHERE shop = @shop AND (@pending = 1 OR status IN ('done', 'skipped', 'failed'))",
            new { shop, pending = pendingToo ? 1 : 0 }, tx);
        var numbers = orderIds.Concat(customerId is { } c ? [c] : []).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        return rows.Where(r =>
        {
            var text = Encoding.UTF8.GetString(r.Body);
            if (email is not null && text.Contains(email, StringComparison.OrdinalIgnoreCase)) return true;
            // Any JSON number equal to the customer's or a listed order's id: redacting a body too many is the safe side.
            return numbers.Any(n => Regex.IsMatch(text, $@"[:\[,]\s*{n}\b"));
        }).ToList();
    }

    private static async Task<List<Dictionary<string, object?>>> Rows(DbConnection conn, string sql, object args) =>
        [.. (await conn.QueryAsync(sql, args)).Select(r => new Dictionary<string, object?>((IDictionary<string, object?>)r))];

    private static Match Args(string shop, long? id, string? email, IReadOnlyList<long> orders) =>
        new(shop, id, email?.Trim().ToLowerInvariant(), orders);

    /// <summary>Dapper parameters: the customer as matched (email lower-cased).</summary>
    private sealed record Match(string shop, long? id, string? email, IReadOnlyList<long> orders);

    [GeneratedRegex("^[a-z_][a-z0-9_]*$")]
    private static partial Regex SafeName();
}
