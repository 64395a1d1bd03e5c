using System.Security.Cryptography;
using System.Text;

namespace ShopifyReferral.Referrals;

/// <summary>
/// Codes a shopper can read aloud and type: a name part and a random part, upper case, from an alphabet
/// without look-alikes (no 0/O, 1/I/L). Matched case-insensitively, so codes are stored upper case.
/// </summary>
public static class ReferralCodes
{
    public const string Alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

    public static string New(string? firstName, string? email)
    {
        var name = NamePart(firstName) ?? NamePart(email?.Split('@')[0]) ?? "FRIEND";
        return $"{name}-{Random(4)}";
    }

    public static string Normalise(string code) => code.Trim().ToUpperInvariant();

    public static bool IsValidVanity(string code) =>
        code.Trim().Length is >= 4 and <= 32 && code.Trim().All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    private static string? NamePart(string? s)
    {
        if (string.IsNullOrWhiteSpace(s)) return null;
        var letters = new StringBuilder();
        foreach (var c in s.Normalize(NormalizationForm.FormD).ToUpperInvariant())
            if (c is >= 'A' and <= 'Z' && letters.Length < 8) letters.Append(c);
        return letters.Length >= 2 ? letters.ToString() : null;
    }

    private static string Random(int length) =>
        string.Create(length, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        });
}
