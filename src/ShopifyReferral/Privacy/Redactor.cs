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
public sealed class Redactor(Db db, Pseudonyms pseudonyms, InboxStore inbox, ProgramStore programs, CodeLookup codes, TimeProvider time)
{
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
            await CustomerRedaction.RedactAsync(conn, tx, s.Shop, s.CustomerId, pseudo, s.Email, s.EmailKey, ids);
        await CustomerRedaction.RedactReferrerAsync(conn, tx, s.Shop, s.CustomerId, pseudo, s.Email);
        await conn.ExecuteAsync(
            "DELETE FROM privacy_exports WHERE shop = @shop AND ((@cid IS NOT NULL AND customer_id = @cid) OR LOWER(email) = @email)",
            new { shop = s.Shop, cid = s.CustomerId, email = s.Email?.ToLowerInvariant() }, tx);
        await tx.CommitAsync(ct);
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
                await inbox.RemoveBodiesAsync(batch.Where(b => needles.Any(Encoding.UTF8.GetString(b.Body).ToLowerInvariant().Contains)).Select(b => b.Id).ToList(), time.GetUtcNow(), ct);
            }
            if (batch.Count < BodyBatch) break;
            if (BetweenBatches is { } pause) await pause();
        }
        await inbox.RemoveBodiesAsync([requestInboxId], time.GetUtcNow(), ct);
    }

    /// <summary>shop/redact: every row of the shop, in every table that has a shop column, goes.</summary>
    public async Task<int> DeleteShopAsync(string shop, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var tables = (await conn.QueryAsync<string>(db.Dialect.TablesWithShopColumn, transaction: tx)).ToList();
        // Children before parents (foreign keys): checks, decisions, share clicks, reward thanks, rewards, referrals, referrers, then the rest.
        var deleted = await CustomerRedaction.DeleteShopDetailsAsync(conn, tx, shop);
        // The one write across every room, by design: the law says the shop's data goes, whoever keeps it.
        string[] first = ["share_clicks", "reward_thanks", "rewards", "referrals", "referrers"];
        foreach (var table in first.Where(tables.Contains).Concat(tables.Except(first).Order()))
            deleted += await conn.ExecuteAsync($"DELETE FROM {table} WHERE shop = @shop", new { shop }, tx);
        await tx.CommitAsync(ct);
        programs.Forget(shop);
        codes.Forget(shop);
        return deleted;
    }
}
