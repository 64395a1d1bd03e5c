using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using ShopifyReferral.Shopify;

namespace ShopifyReferral.Privacy;

/// <summary>
/// The stand-in id a redacted customer keeps, so counts of customers and orders still add up after the person is
/// gone: an HMAC-SHA256 of shop and customer id under a stable secret (Privacy:PseudonymKey, else derived from the
/// client secret), so every instance and every run picks the same one. Negative, so it can never be a Shopify id.
/// </summary>
public sealed class Pseudonyms(IOptions<ShopifyOptions> shopify, IConfiguration config)
{
    private byte[] Key => Encoding.UTF8.GetBytes(config["Privacy:PseudonymKey"] is { Length: > 0 } key
        ? key
        : "customer-pseudonyms|" + shopify.Value.ClientSecret);

    public long? For(string shop, long? customerId)
    {
        if (customerId is not { } id) return null;
        var mac = HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes($"{shop.ToLowerInvariant()}|{id}"));
        return -(BinaryPrimitives.ReadInt64BigEndian(mac) & long.MaxValue) - 1;
    }
}
