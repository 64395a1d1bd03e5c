using System.Text;

namespace ShopifyReferral.Referrals;

/// <summary>
/// Normal forms for comparing people across orders: the same mailbox, phone or address written differently
/// must compare equal, or self-referral slips through with "Jane.Doe+shop@gmail.com".
/// </summary>
public static class Identity
{
    /// <summary>Lower case, without a +tag, and without dots for Gmail (which ignores them).</summary>
    public static string? Email(string? email)
    {
        if (string.IsNullOrWhiteSpace(email) || email.IndexOf('@') is var at && at <= 0) return null;
        var local = email[..at].Trim().ToLowerInvariant();
        var domain = email[(at + 1)..].Trim().ToLowerInvariant();
        var plus = local.IndexOf('+');
        if (plus > 0) local = local[..plus];
        if (domain is "gmail.com" or "googlemail.com")
        {
            local = local.Replace(".", "", StringComparison.Ordinal);
            domain = "gmail.com";
        }
        return $"{local}@{domain}";
    }

    /// <summary>The last ten digits: "+1 (512) 555-0100" and "512.555.0100" are one phone.</summary>
    public static string? Phone(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone)) return null;
        var digits = new string(phone.Where(char.IsAsciiDigit).ToArray());
        return digits.Length < 7 ? null : digits.Length > 10 ? digits[^10..] : digits;
    }

    /// <summary>Street lines, postcode and country, letters and digits only, lower case.</summary>
    public static string? Address(string? address1, string? address2, string? zip, string? countryCode)
    {
        if (string.IsNullOrWhiteSpace(address1) || string.IsNullOrWhiteSpace(zip)) return null;
        var text = new StringBuilder();
        foreach (var c in $"{address1}|{address2}|{zip}|{countryCode}".ToLowerInvariant())
            if (char.IsAsciiLetterOrDigit(c) || c == '|') text.Append(c);
        return text.ToString();
    }
}
