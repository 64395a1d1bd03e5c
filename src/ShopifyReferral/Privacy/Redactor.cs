using System.Data.Common;
using System.Text;
using Dapper;
using ShopifyReferral.Data;
using ShopifyReferral.Referrals;
using ShopifyReferral.Webhooks;

namespace ShopifyReferral.Privacy;

/// <summary>
/// Erases a customer's personal data, or a whole shop's rows. The customer's rows in the app's tables go in one short
/// transaction (indexed statements); the raw deliveries that mention them are then scanned in bounded batches read
/// without a transaction, each batch's hits blanked by one short write, so the intake never waits for the whole scan.
/// A crash in between leaves the delivery to be processed again, which redoes both parts harmlessly.
/// </summary>
public sealed class Redactor(Db db, Pseudonyms pseudonyms, ProgramStore programs, CodeLookup codes, TimeProvider time)
{
    private const string Redacted = "Redacted at the customer's request.";
    internal const int BodyBatch = 500;

    /// <summary>For tests: runs between two batches of the raw-body scan, when the redaction holds no lock.</summary>
    internal Func<Task>? BetweenBatches { get; set; }

    public async Task RedactCustomerAsync(Subject s, long requestInboxId, CancellationToken ct)
    {
        await RedactTablesAsync(s, ct);
        await RedactBodiesAsync(s, requestInboxId, ct);
    }

    private async Task RedactTablesAsync(Subject s, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var pseudo = pseudonyms.For(s.Shop, s.CustomerId);
        // The order ids go in chunks (Db.MaxListParameters); running a statement again for the next chunk changes
        // nothing it changed before, since the rows it matched no longer hold the email or the customer id.
        foreach (var ids in s.OrderIds.DefaultIfEmpty(-1).Chunk(Db.MaxListParameters))
            await RedactOrdersAsync(conn, tx, s, pseudo, ids);
        var a = new { shop = s.Shop, cid = s.CustomerId, pseudo, email = s.Email?.ToLowerInvariant() };
        await conn.ExecuteAsync("""
            UPDATE referrers SET email = NULL, first_name = NULL, last_name = NULL,
                customer_id = CASE WHEN customer_id = @cid THEN @pseudo ELSE customer_id END
            WHERE shop = @shop AND ((@cid IS NOT NULL AND customer_id = @cid) OR LOWER(email) = @email)
            """, a, tx);
        await conn.ExecuteAsync(
            "DELETE FROM privacy_exports WHERE shop = @shop AND ((@cid IS NOT NULL AND customer_id = @cid) OR LOWER(email) = @email)", a, tx);
        await tx.CommitAsync(ct);
    }

    /// <summary>Orders, the checks' evidence and the referrals of the subject, matched by customer, email or one of these orders.</summary>
    private static async Task RedactOrdersAsync(DbConnection conn, DbTransaction tx, Subject s, long? pseudo, long[] ids)
    {
        var a = new { shop = s.Shop, cid = s.CustomerId, pseudo, key = s.EmailKey, email = s.Email?.ToLowerInvariant(), ids, why = Redacted };
        var d = SqlDialect.Of(conn);
        // Emails, names, phones, addresses, IPs and browsers go; ids become a pseudonym so counts still add up.
        await conn.ExecuteAsync($"""
            UPDATE orders SET email = NULL, email_key = NULL, phone = NULL, shipping_fingerprint = NULL, browser_ip = NULL,
                user_agent = NULL, customer_id = CASE WHEN customer_id = @cid THEN @pseudo ELSE customer_id END
            WHERE shop = @shop AND ((@cid IS NOT NULL AND customer_id = @cid) OR email_key = @key OR LOWER(email) = @email OR {d.InList("order_id", "@ids")})
            """, a, tx);
        // The rules' evidence and the decisions quoting it (or a merchant's words) name emails and IPs.
        var theirReferrals = $"""
            SELECT f.id FROM referrals f JOIN referrers r ON r.id = f.referrer_id
            WHERE f.shop = @shop AND ((@cid IS NOT NULL AND (f.friend_customer_id = @cid OR r.customer_id = @cid))
                  OR LOWER(f.friend_email) = @email OR LOWER(r.email) = @email OR {d.InList("f.order_id", "@ids")})
            """;
        await conn.ExecuteAsync($"UPDATE referral_checks SET evidence = @why WHERE referral_id IN ({theirReferrals})", a, tx);
        await conn.ExecuteAsync($"UPDATE referral_decisions SET reason = @why WHERE reason IS NOT NULL AND referral_id IN ({theirReferrals})", a, tx);
        await conn.ExecuteAsync($"""
            UPDATE referrals SET friend_email = NULL,
                friend_customer_id = CASE WHEN friend_customer_id = @cid THEN @pseudo ELSE friend_customer_id END
            WHERE shop = @shop AND ((@cid IS NOT NULL AND friend_customer_id = @cid) OR LOWER(friend_email) = @email OR {d.InList("order_id", "@ids")})
            """, a, tx);
    }

    /// <summary>
    /// Raw deliveries hold the same data: processed ones that mention the customer are blanked, batch by batch; the
    /// request's own delivery last, so a crash midway leaves it readable for the retry that finishes the job.
    /// </summary>
    private async Task RedactBodiesAsync(Subject s, long requestInboxId, CancellationToken ct)
    {
        var needles = new[] { s.CustomerId?.ToString(), s.Email?.ToLowerInvariant() }.Where(n => n is not null).Cast<string>().ToList();
        var select = db.FirstRows("""
            SELECT id, body FROM webhook_inbox
            WHERE shop = @shop AND id > @after AND id <> @requestInboxId AND body_removed_at IS NULL AND status IN ('done', 'skipped', 'failed')
            ORDER BY id
            """);
        for (long after = 0; ;)
        {
            List<(long Id, byte[] Body)> batch;
            await using (var conn = await db.OpenAsync(ct))
                batch = (await conn.QueryAsync<(long, byte[])>(select, new { shop = s.Shop, after, requestInboxId, limit = BodyBatch })).AsList();
            if (batch.Count > 0)
            {
                after = batch[^1].Id;
                await RemoveBodiesAsync(batch.Where(b => needles.Any(Encoding.UTF8.GetString(b.Body).ToLowerInvariant().Contains)).Select(b => b.Id).ToList(), ct);
            }
            if (batch.Count < BodyBatch) break;
            if (BetweenBatches is { } pause) await pause();
        }
        await RemoveBodiesAsync([requestInboxId], ct);
    }

    /// <summary>One short write per batch: the bodies become the removed marker.</summary>
    private async Task RemoveBodiesAsync(IReadOnlyList<long> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return;
        await using var conn = await db.OpenAsync(ct);
        await conn.ExecuteAsync($"UPDATE webhook_inbox SET body = @body, body_removed_at = @now WHERE {db.Dialect.InList("id", "@ids")}",
            new { body = InboxStore.RemovedBody, now = time.GetUtcNow().ToUnixTimeMilliseconds(), ids = ids.ToArray() });
    }

    /// <summary>shop/redact: every row of the shop, in every table that has a shop column, goes.</summary>
    public async Task<int> DeleteShopAsync(string shop, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var tables = (await conn.QueryAsync<string>(db.Dialect.TablesWithShopColumn, transaction: tx)).ToList();
        // Children before parents (foreign keys): checks, decisions, share clicks, reward thanks, rewards, referrals, referrers, then the rest.
        var deleted = await conn.ExecuteAsync(
            "DELETE FROM referral_checks WHERE referral_id IN (SELECT id FROM referrals WHERE shop = @shop)", new { shop }, tx);
        deleted += await conn.ExecuteAsync(
            "DELETE FROM referral_decisions WHERE referral_id IN (SELECT id FROM referrals WHERE shop = @shop)", new { shop }, tx);
        string[] first = ["share_clicks", "reward_thanks", "rewards", "referrals", "referrers"];
        foreach (var table in first.Where(tables.Contains).Concat(tables.Except(first).Order()))
            deleted += await conn.ExecuteAsync($"DELETE FROM {table} WHERE shop = @shop", new { shop }, tx);
        await tx.CommitAsync(ct);
        programs.Forget(shop);
        codes.Forget(shop);
        return deleted;
    }
}
