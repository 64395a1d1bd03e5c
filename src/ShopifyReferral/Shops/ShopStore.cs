using Dapper;
using ShopifyReferral.Data;

namespace ShopifyReferral.Shops;

public sealed record Shop(string ShopDomain, string Status, long? InstalledAt, long? UninstalledAt);

public sealed class ShopStore(Db db)
{
    /// <summary>Status of a shop whose token refresh Shopify refused: installed, but nothing can call Shopify until a new install.</summary>
    public const string NeedsReauth = "needs_reauth";

    /// <summary>Prefix of last_error on inbox rows and jobs parked because their shop has no usable token.</summary>
    public const string ParkedPrefix = "Parked: ";

    public async Task MarkNeedsReauthAsync(string shop, DateTimeOffset now, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        await conn.ExecuteAsync("UPDATE shops SET status = @status, updated_at = @now WHERE shop = @shop AND status = 'installed'",
            new { shop, status = NeedsReauth, now = now.ToUnixTimeMilliseconds() });
    }

    public async Task MarkInstalledAsync(string shop, DateTimeOffset now, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        var args = new { shop, now = now.ToUnixTimeMilliseconds() };
        // Two statements instead of a dialect-specific upsert: an install is rare and never concurrent for one shop.
        var updated = await conn.ExecuteAsync(
            "UPDATE shops SET status = 'installed', installed_at = @now, uninstalled_at = NULL, updated_at = @now WHERE shop = @shop", args);
        if (updated == 0)
            await conn.ExecuteAsync(
                "INSERT INTO shops (shop, status, installed_at, updated_at) VALUES (@shop, 'installed', @now, @now)", args);
    }

    /// <summary>
    /// Marks the shop uninstalled and drops its token, unless a later install superseded the uninstall: with
    /// <paramref name="triggeredAt"/> (when Shopify triggered it), a shop installed after that moment is left as it
    /// is, and so is a token saved after it (an install in progress). Returns false when it changed nothing.
    /// </summary>
    public async Task<bool> MarkUninstalledAsync(string shop, DateTimeOffset now, DateTimeOffset? triggeredAt = null, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var args = new { shop, now = now.ToUnixTimeMilliseconds(), triggered = triggeredAt?.ToUnixTimeMilliseconds() };
        var marked = await conn.ExecuteAsync(db.Dialect.MarkShopUninstalled, args, tx) == 1;
        // Shopify revoked the token with the uninstall; a reinstall brings a new one.
        if (marked)
            await conn.ExecuteAsync("DELETE FROM shop_tokens WHERE shop = @shop AND (@triggered IS NULL OR updated_at <= @triggered)", args, tx);
        await tx.CommitAsync(ct);
        return marked;
    }

    public async Task<Shop?> FindAsync(string shop, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<Shop>(
            "SELECT shop AS shop_domain, status, installed_at, uninstalled_at FROM shops WHERE shop = @shop", new { shop });
    }
}
