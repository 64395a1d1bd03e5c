using System.Security.Cryptography;
using System.Text;

namespace ShopifyReferral.Events;

/// <summary>
/// The Standard Webhooks signature: HMAC-SHA256 over "{webhook-id}.{webhook-timestamp}.{body}", keyed by the bytes of
/// the secret after its whsec_ prefix, sent as "v1,{base64}".
/// </summary>
public static class EventSignature
{
    public const string SecretPrefix = "whsec_";

    /// <summary>A new secret: 32 random bytes, base64, with the prefix receivers' libraries expect.</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static string Sign(string secret, string id, long timestamp, byte[] body)
    {
        var key = Convert.FromBase64String(secret[SecretPrefix.Length..]);
        var signed = new List<byte>(Encoding.UTF8.GetBytes($"{id}.{timestamp}."));
        signed.AddRange(body);
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed.ToArray()));
    }
}
