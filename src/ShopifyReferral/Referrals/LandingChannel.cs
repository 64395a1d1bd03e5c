using ShopifyReferral.Storefront;

namespace ShopifyReferral.Referrals;

/// <summary>
/// The share channel a referred order came through, read from the order's <c>landing_site</c>. The tracked link
/// /r/{code}?ch=… redirects to the shop's discount link with <c>ref_ch={channel}</c> added
/// (<see cref="ShareLinks.Landing"/>), and Shopify keeps the first URL of the buyer's visit as <c>landing_site</c>
/// (docs/shopify-facts.md, "Fields that matter for referral matching" and "Shareable discount links"). It is only a
/// hint: the code in discount_codes decides whether the order is referred; this only says how the friend got there.
/// </summary>
public static class LandingChannel
{
    /// <summary>No channel in landing_site: the friend typed the code (or came back in a visit that began elsewhere).</summary>
    public const string Code = "code";

    /// <summary>A ref_ch this version does not know (a hand-edited link, a newer version's channel).</summary>
    public const string Other = "other";

    private static readonly HashSet<string> Known = [.. ShareLinks.Channels, ShareLinks.Direct];

    /// <summary>A known channel, <see cref="Other"/> for an unknown or empty ref_ch, <see cref="Code"/> when there is none.</summary>
    public static string Of(string? landingSite)
    {
        if (Parameter(landingSite, ShareLinks.ChannelParameter) is not { } raw) return Code;
        var channel = raw.Trim().ToLowerInvariant();
        return Known.Contains(channel) ? channel : Other;
    }

    /// <summary>The first value of <paramref name="name"/> in the URL's query (relative or absolute, fragment ignored); null when absent.</summary>
    private static string? Parameter(string? url, string name)
    {
        if (string.IsNullOrEmpty(url) || url.Length > 2048) return null;
        var start = url.IndexOf('?');
        if (start < 0) return null;
        var query = url[(start + 1)..];
        if (query.IndexOf('#') is var hash and >= 0) query = query[..hash];
        foreach (var pair in query.Split('&'))
        {
            var eq = pair.IndexOf('=');
            var key = Unescape(eq < 0 ? pair : pair[..eq]);
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase)) return eq < 0 ? "" : Unescape(pair[(eq + 1)..]);
        }
        return null;
    }

    // Form encoding writes spaces as '+'; a malformed escape (%ZZ) is left as it is, which then reads as Other.
    private static string Unescape(string s) => Uri.UnescapeDataString(s.Replace('+', ' '));
}
