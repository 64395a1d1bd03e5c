using System.Text.Json;
using Dapper;
using ShopifyReferral.Data;
using ShopifyReferral.Referrals;
using ShopifyReferral.Webhooks;

namespace ShopifyReferral.Discounts;

/// <summary>
/// discounts/update, discounts/delete and discounts/redeemcode_removed: a merchant changed, in the Shopify admin, a
/// discount we made. Each change to one of our codes (a referrer's, or a reward's) is recorded once per delivery for
/// the dashboard; a referrer's code that is gone (its discount deleted, or the code removed from it) is marked
/// deleted, so the storefront page and the extensions stop offering it and the code sync never touches it again.
/// Discounts that are not ours are skipped with the reason. Safe to run twice: the change's UNIQUE key and the
/// conditional update make a second run change nothing.
/// </summary>
public sealed class DiscountChangeHandler(Db db, TimeProvider time) : IWebhookHandler
{
    public const string Deleted = ReferrerCodeDeletion.Deleted;

    public IReadOnlyCollection<string> Topics { get; } = ["discounts/update", "discounts/delete", "discounts/redeemcode_removed"];

    public async Task HandleAsync(WebhookMessage message, CancellationToken ct)
    {
        var p = message.Payload;
        var gid = Text(p, "admin_graphql_api_id") ?? throw new PermanentWebhookException($"{message.Topic} without admin_graphql_api_id.");
        string? removedCode = null;
        if (message.Topic == "discounts/redeemcode_removed")
            removedCode = p.TryGetProperty("redeem_code", out var rc) && rc.ValueKind == JsonValueKind.Object ? Text(rc, "code") : null;
        if (message.Topic == "discounts/redeemcode_removed" && removedCode is null)
            throw new PermanentWebhookException("discounts/redeemcode_removed without redeem_code.code.");
        var detail = message.Topic == "discounts/update" ? $"Title: {Text(p, "title") ?? "?"}; status: {Text(p, "status") ?? "?"}" : null;
        var gone = message.Topic != "discounts/update";

        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // Codes compare ignoring case, as Shopify matches them; ours are stored upper case.
        var owners = (await conn.QueryAsync<(string Owner, long Id, string Code)>("""
            SELECT 'referrer', id, code FROM referrers WHERE shop = @shop AND code_gid = @gid AND (@code IS NULL OR code = @code)
            UNION ALL
            SELECT 'reward', id, code FROM rewards WHERE shop = @shop AND shopify_gid = @gid AND code IS NOT NULL AND (@code IS NULL OR code = @code)
            """, new { shop = message.Shop, gid, code = removedCode?.ToUpperInvariant() }, tx)).AsList();
        if (owners.Count == 0)
            throw new SkippedWebhookException($"Ignored: {gid}{(removedCode is null ? "" : $" (code {removedCode})")} is not a code this app made.");
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var (owner, id, code) in owners)
        {
            await conn.ExecuteAsync("""
                INSERT INTO discount_changes (shop, webhook_id, topic, discount_gid, code, owner, owner_id, detail, occurred_at)
                SELECT @shop, @webhookId, @topic, @gid, @code, @owner, @id, @detail, @now
                WHERE NOT EXISTS (SELECT 1 FROM discount_changes WHERE webhook_id = @webhookId AND code = @code)
                """, new { shop = message.Shop, webhookId = message.WebhookId, topic = message.Topic, gid, code, owner, id, detail, now }, tx);
            if (gone && owner == "referrer")
                await ReferrerCodeDeletion.MarkDeletedAsync(conn, tx, id);
        }
        await tx.CommitAsync(ct);
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
