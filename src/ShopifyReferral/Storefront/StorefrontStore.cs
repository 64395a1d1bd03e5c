using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using Dapper;
using Microsoft.Extensions.Options;
using ShopifyReferral.Data;
using ShopifyReferral.Merchant;
using ShopifyReferral.Shopify;

namespace ShopifyReferral.Storefront;

/// <summary>One of a shopper's referrals as they may see it: no friend's email or name, only the order and its status.</summary>
public sealed record ShopperReferral
{
    public string? OrderName { get; init; }
    public string Status { get; init; } = "";
    [JsonConverter(typeof(UnixMsJson))] public long? HoldUntil { get; init; }
    [JsonConverter(typeof(UnixMsJson))] public long CreatedAt { get; init; }
}

public sealed record ShopperReward
{
    public string Kind { get; init; } = "";
    public string RewardType { get; init; } = "";

    /// <summary>Face value of a money reward in minor units; null for a percentage or free shipping.</summary>
    public long? AmountMinor { get; init; }

    /// <summary>The percentage of a percentage reward.</summary>
    public string? Value { get; init; }
    public string? Currency { get; init; }
    public string? Code { get; init; }
    public string Status { get; init; } = "";
    [JsonConverter(typeof(UnixMsJson))] public long? ExpiresAt { get; init; }
    [JsonConverter(typeof(UnixMsJson))] public long CreatedAt { get; init; }

    /// <summary>A free product's title, to word it ("a free Plush Toy").</summary>
    public string? ProductTitle { get; init; }
}

/// <summary>The storefront's reads (a shopper's own referrals and rewards) and its one write, a share click.</summary>
public sealed class StorefrontStore(Db db, IOptions<ShopifyOptions> shopify, IOptions<StorefrontOptions> options)
{
    public async Task<IReadOnlyList<ShopperReferral>> ReferralsAsync(long referrerId, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        return (await conn.QueryAsync<ShopperReferral>(
            "SELECT order_name, status, hold_until, created_at FROM referrals WHERE referrer_id = @referrerId ORDER BY id DESC",
            new { referrerId })).AsList();
    }

    public async Task<IReadOnlyList<ShopperReward>> RewardsAsync(long referrerId, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        return (await conn.QueryAsync<ShopperReward>("""
            SELECT kind, reward_type, amount_minor, value, currency, code, status, expires_at, created_at, product_title
            FROM rewards WHERE referrer_id = @referrerId ORDER BY id DESC
            """, new { referrerId })).AsList();
    }

    /// <summary>The shop's currency as its orders report it; null before the first order (the wording then omits it).</summary>
    public async Task<string?> CurrencyAsync(string shop, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        return await conn.ExecuteScalarAsync<string?>("SELECT MIN(currency) FROM orders WHERE shop = @shop", new { shop });
    }

    /// <summary>Whether the customer has an order Shopify reported paid (or refunded after payment), as the engine counts paid.</summary>
    public async Task<bool> HasPaidOrderAsync(string shop, long customerId, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        return await conn.ExecuteScalarAsync<long>("""
            SELECT COUNT(*) FROM orders WHERE shop = @shop AND customer_id = @customerId
                AND financial_status IN ('paid', 'partially_paid', 'partially_refunded', 'refunded')
            """, new { shop, customerId }) > 0;
    }

    public async Task RecordClickAsync(string shop, long referrerId, string code, string channel, string? ip, DateTimeOffset at, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        await ShareClicks.RecordAsync(conn, shop, referrerId, code, channel, HashIp(ip), at.ToUnixTimeMilliseconds(), ct);
    }

    /// <summary>
    /// HMAC-SHA256 of the IP with a server-side salt: the same visitor hashes alike (distinct counts, click-farm
    /// checks) but the table alone cannot be turned back into addresses, as a plain hash of the 2^32 IPv4 space could.
    /// The salt is Storefront:IpHashSalt, or else derived from the client secret so it is never empty.
    /// </summary>
    public string? HashIp(string? ip)
    {
        if (string.IsNullOrEmpty(ip)) return null;
        var salt = string.IsNullOrEmpty(options.Value.IpHashSalt) ? "share-clicks|" + shopify.Value.ClientSecret : options.Value.IpHashSalt;
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(salt), Encoding.UTF8.GetBytes(ip)));
    }
}
