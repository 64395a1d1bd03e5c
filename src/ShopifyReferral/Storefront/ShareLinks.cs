namespace ShopifyReferral.Storefront;

public sealed record ShareButton(string Channel, string Label, string Url);

/// <summary>
/// The tracked link a referrer shares (<c>{AppUrl}/r/{CODE}?ch=channel</c>, counted then redirected to the shop's
/// discount link) and one button per channel. Each button carries its own channel so the merchant sees which works.
/// </summary>
public static class ShareLinks
{
    public static readonly string[] Channels = ["email", "sms", "whatsapp", "facebook", "x", "copy"];

    /// <summary>The channel of a tracked link without ?ch=.</summary>
    public const string Direct = "direct";

    /// <summary>
    /// Added to the shop's discount link the tracked link redirects to, so the order's landing_site carries the channel
    /// (Referrals/LandingChannel.cs). Prefixed so it cannot clash with a parameter of the shop's theme.
    /// </summary>
    public const string ChannelParameter = "ref_ch";

    /// <summary>s= names the shop (its handle): a code is unique only within its shop.</summary>
    public static string Tracked(string appUrl, string shop, string code, string channel) =>
        $"{appUrl.TrimEnd('/')}/r/{Uri.EscapeDataString(code)}?ch={channel}&s={Uri.EscapeDataString(Handle(shop))}";

    public static string Handle(string shop) =>
        shop.EndsWith(".myshopify.com", StringComparison.Ordinal) ? shop[..^".myshopify.com".Length] : shop;

    /// <summary>The channel recorded for a click: a known one, 'direct' when absent, 'other' for anything else.</summary>
    public static string Channel(string? ch) =>
        string.IsNullOrWhiteSpace(ch) ? Direct : Channels.Contains(ch.Trim().ToLowerInvariant()) ? ch.Trim().ToLowerInvariant() : "other";

    /// <summary>Where a click on <paramref name="channel"/> lands: the shop's discount link (which has a query already) with the channel.</summary>
    public static string Landing(string discountLink, string channel) =>
        $"{discountLink}{(discountLink.Contains('?') ? '&' : '?')}{ChannelParameter}={Uri.EscapeDataString(channel)}";

    public static IReadOnlyList<ShareButton> Buttons(string appUrl, string shop, string code, string offer)
    {
        string Link(string ch) => Tracked(appUrl, shop, code, ch);
        string Text(string ch) => $"{offer} at my favourite shop with my code {code}: {Link(ch)}";
        Func<string, string> e = Uri.EscapeDataString;
        return
        [
            new("email", "Email", $"mailto:?subject={e(offer + " for you")}&body={e(Text("email"))}"),
            new("sms", "SMS", $"sms:?&body={e(Text("sms"))}"),
            new("whatsapp", "WhatsApp", $"https://wa.me/?text={e(Text("whatsapp"))}"),
            new("facebook", "Facebook", $"https://www.facebook.com/sharer/sharer.php?u={e(Link("facebook"))}"),
            new("x", "X", $"https://x.com/intent/post?text={e($"{offer} with my code {code}")}&url={e(Link("x"))}"),
        ];
    }
}
