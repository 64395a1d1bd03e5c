using ShopifyReferral.Referrals;
using ShopifyReferral.Storefront;

namespace ShopifyReferral.Extensions;

/// <summary>The share part both extensions show: the copy link and one button per channel, each tracked at /r/.</summary>
public static class ExtensionShare
{
    /// <summary>The order the buttons appear in; copy first, as the one that works everywhere.</summary>
    public static readonly string[] Channels = ["copy", "whatsapp", "email", "x", "facebook"];

    public static string ShareUrl(string appUrl, Referrer r) => ShareLinks.Tracked(appUrl, r.Shop, r.Code, "copy");

    public static IReadOnlyList<ShareChannel> For(string appUrl, Referrer r, ProgramWording wording)
    {
        var buttons = ShareLinks.Buttons(appUrl, r.Shop, r.Code, wording.Offer).ToDictionary(b => b.Channel);
        return [.. Channels.Select(ch => ch == "copy"
            ? new ShareChannel("copy", "Copy link", ShareUrl(appUrl, r))
            : new ShareChannel(ch, buttons[ch].Label, buttons[ch].Url))];
    }
}
