using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using ShopifyReferral.Shopify;

namespace ShopifyReferral.Webhooks;

/// <summary>
/// Shopify signs the raw body bytes: base64(HMAC-SHA256(client secret, body)). We hash exactly the bytes
/// received and compare in constant time, against the current and, during a rotation, the previous secret.
/// </summary>
public sealed class WebhookSignature
{
    private readonly byte[][] _keys;

    public WebhookSignature(IOptions<ShopifyOptions> options)
    {
        var o = options.Value;
        _keys = new[] { o.ClientSecret, o.PreviousClientSecret }
            .Where(s => !string.IsNullOrEmpty(s))
            .Select(s => Encoding.UTF8.GetBytes(s!))
            .ToArray();
    }

    public bool IsValid(ReadOnlySpan<byte> body, string? headerValue)
    {
        if (string.IsNullOrEmpty(headerValue) || headerValue.Length > 64) return false;
        Span<byte> claimed = stackalloc byte[48];
        if (!Convert.TryFromBase64String(headerValue, claimed, out var written) || written != 32) return false;
        Span<byte> actual = stackalloc byte[32];
        var ok = false;
        foreach (var key in _keys)
        {
            HMACSHA256.HashData(key, body, actual);
            // No early exit: the time taken does not say which secret matched.
            ok |= CryptographicOperations.FixedTimeEquals(actual, claimed[..32]);
        }
        return ok;
    }

    public static string Sign(string secret, ReadOnlySpan<byte> body) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
}
