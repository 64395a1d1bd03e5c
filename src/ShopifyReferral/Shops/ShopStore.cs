using Dapper;
using ShopifyReferral.Data;

namespace ShopifyReferral.Shops;

public sealed record Shop(string ShopDomain, string Status, long? InstalledAt, long? UninstalledAt);

public sealed class ShopStore(Db db)
{
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

    public async Task MarkUninstalledAsync(string shop, DateTimeOffset now, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        await conn.ExecuteAsync(db.Dialect.MarkShopUninstalled, new { shop, now = now.ToUnixTimeMilliseconds() });
        // Shopify revoked the token with the uninstall; a reinstall brings a new one.
        await conn.ExecuteAsync("DELETE FROM shop_tokens WHERE shop = @shop", new { shop });
    }

    public async Task<Shop?> FindAsync(string shop, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<Shop>(
            "SELECT shop AS shop_domain, status, installed_at, uninstalled_at FROM shops WHERE shop = @shop", new { shop });
    }
}
