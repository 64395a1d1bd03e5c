using System.Globalization;
using ShopifyReferral.Data;
using ShopifyReferral.Referrals;

namespace ShopifyReferral.Storefront;

/// <summary>What an enrolled shopper sees about themselves.</summary>
public sealed record ShopperView(
    Referrer Referrer, string ShareLink, IReadOnlyList<ShareButton> Buttons,
    IReadOnlyList<ShopperReferral> Referrals, IReadOnlyList<ShopperReward> Rewards);

/// <summary>The storefront referral page: the program's four answers for everyone, and the shopper's own part.</summary>
public static class ProxyPage
{
    /// <param name="joinClosed">Why a logged-in shopper cannot join now (program paused, no paid order yet); null when they can.</param>
    public static string Render(
        ProgramWording w, ProxyRequest request, string joinAction, ShopperView? shopper, string? currency, string? joinClosed = null)
    {
        var body = new Html().Add($"""<h1>{w.Headline}</h1><p class="muted">{w.FriendGets}</p>""");
        if (shopper is not null) Shopper(body, shopper, currency);
        else if (request.CustomerId is not null && joinClosed is not null)
            body.Add($"""<section class="card notice" id="join"><h2>Join the referral program</h2><p>{joinClosed}</p></section>""");
        else if (request.CustomerId is not null)
            body.Add($"""
                <section class="card notice" id="join"><h2>Join the referral program</h2><p>{w.Join}</p>
                <form method="post" action="{joinAction}"><button class="btn" type="submit">Join and get my code</button></form></section>
                """);
        else
            body.Add($"""
                <section class="card notice" id="join"><h2>Join the referral program</h2><p>{w.Join}</p>
                <p><a class="btn" href="/account/login?return_url={Uri.EscapeDataString(request.PathPrefix.Length > 0 ? request.PathPrefix : "/")}">Log in to join</a></p></section>
                """);

        body.Add($"""
            <section class="card" id="how"><h2>How it works</h2>
            <h3>How do I join?</h3><p>{w.Join}</p>
            <h3>What do I get for each referral?</h3><p>{w.PerReferral}</p><p>{w.FriendGets}</p>
            <h3>When do I get it?</h3><p>{w.When}</p>
            <h3>How do I redeem it?</h3><p>{w.Redeem}</p></section>
            """);
        return PageLayout.Document("Refer a friend", body.ToSafe());
    }

    private static void Shopper(Html body, ShopperView s, string? currency)
    {
        var r = s.Referrer;
        if (r.CodeStatus == Discounts.DiscountChangeHandler.Deleted)
            // The merchant deleted it in Shopify: it no longer works at checkout, so it is not offered for sharing.
            body.Add($"""<section class="card" id="share"><h2>Your code</h2><p>Your referral code is no longer active in this shop. Please contact the shop for a new one.</p></section>""");
        else if (r.Blocked)
            body.Add($"""<section class="card" id="share"><h2>Your code</h2><p class="code" id="code">{r.Code}</p><p>Your referral link is paused. Please contact the shop if you think this is a mistake.</p></section>""");
        else
        {
            body.Add($"""<section class="card" id="share"><h2>Your code</h2><p class="code" id="code">{r.Code}</p>""");
            if (r.CodeStatus != "live")
                body.Add($"""<p class="muted">Your code is being set up in the shop and works within a few minutes.</p>""");
            body.Add($"""
                <label class="muted" for="share-link">Your share link</label>
                <input class="link" id="share-link" type="text" readonly value="{s.ShareLink}">
                <ul class="share">
                """);
            foreach (var b in s.Buttons)
                body.Add($"""<li><a href="{b.Url}" data-channel="{b.Channel}" target="_blank" rel="noopener">{b.Label}</a></li>""");
            body.Add($"""<li><button type="button" data-copy="#share-link" hidden>Copy link</button></li></ul></section>""");
        }

        body.Add($"""<section class="card" id="referrals"><h2>Your referrals</h2>""");
        if (s.Referrals.Count == 0) body.Add($"""<p class="muted">No referrals yet. Share your link: friends who order with it show up here.</p>""");
        else
        {
            body.Add($"""<table><thead><tr><th>Order</th><th>Date</th><th>Status</th></tr></thead><tbody>""");
            foreach (var x in s.Referrals)
                body.Add($"""<tr><td>{x.OrderName ?? "Order"}</td><td>{Date(x.CreatedAt)}</td><td><span class="status">{ReferralStatus(x)}</span></td></tr>""");
            body.Add(Html.Raw("</tbody></table>"));
        }
        body.Add(Html.Raw("</section>"));

        body.Add($"""<section class="card" id="rewards"><h2>Your rewards</h2>""");
        if (s.Rewards.Count == 0) body.Add($"""<p class="muted">No rewards yet.</p>""");
        else
        {
            body.Add($"""<table><thead><tr><th>Reward</th><th>Code</th><th>Status</th></tr></thead><tbody>""");
            foreach (var x in s.Rewards)
                body.Add($"""<tr><td>{RewardText(x, currency)}</td><td class="nowrap">{(x.Status == "issued" ? x.Code : "")}</td><td><span class="status">{RewardStatus(x)}</span></td></tr>""");
            body.Add(Html.Raw("</tbody></table>"));
        }
        body.Add(Html.Raw("</section>"));
    }

    private static string ReferralStatus(ShopperReferral x) => x.Status switch
    {
        "pending" when x.HoldUntil is { } until => $"Waiting for the return window (until {Date(until)})",
        "pending" => "Waiting for payment",
        "review" => "Being checked by the shop",
        "approved" => "Approved: reward on its way",
        "rewarded" => "Rewarded",
        "rejected" => "Not eligible",
        "voided" => "Cancelled (order refunded or cancelled)",
        _ => x.Status,
    };

    private static string RewardStatus(ShopperReward x) => x.Status switch
    {
        "owed" => "Being issued",
        "issued" when x.ExpiresAt is { } until => $"Ready to use until {Date(until)}",
        "issued" => "Ready to use",
        "redeemed" => "Used",
        "clawed_back" => "Withdrawn (order refunded)",
        "lost" or "failed" => "Delayed: the shop has been told",
        "cancelled" => "Not issued",
        _ => x.Status,
    };

    internal static string RewardText(ShopperReward x, string? currency)
    {
        var value = x.AmountMinor is { } m ? Money.FromMinor(m, x.Currency ?? currency)
            : decimal.TryParse(x.Value, NumberStyles.Number, CultureInfo.InvariantCulture, out var v) ? v : 0m;
        // A type this version does not know (a row from a newer version) is not described as some other type.
        var text = RewardTypes.TryParse(x.RewardType) is { } type ? ProgramWording.Describe(type, value, x.Currency ?? currency, x.ProductTitle) : "A reward";
        return x.Kind == "milestone" ? "Bonus: " + text : text;
    }

    private static string Date(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).ToString("d MMM yyyy", CultureInfo.InvariantCulture);
}
