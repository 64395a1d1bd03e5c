using System.Globalization;
using ShopifyReferral.Sandbox.OAuth;
using ShopifyReferral.Sandbox.State;

namespace ShopifyReferral.Sandbox;

/// <summary>Where a merchant's install ended: the app's callback answer and where it sent the browser next.</summary>
public sealed record SandboxInstallResult(int CallbackStatus, string? Location, string CallbackUrl);

/// <summary>Installing an app the way a merchant's browser does, over real HTTP, plus what it leaves in the store.</summary>
public sealed partial class SandboxStore
{
    public IReadOnlyList<SandboxWebhookSubscription> WebhookSubscriptions(string shop) => State.Shop(shop).WebhookSubscriptions;

    /// <summary>A session token as App Bridge would hand the app's frontend (HS256 with the client secret).</summary>
    public string IssueSessionToken(string shop, TimeSpan? lifetime = null) =>
        ShopifySigning.SessionToken(shop, Options.ClientId, Options.ClientSecret, Options.Time.GetUtcNow(), lifetime);

    /// <summary>A checkout or customer-account extension's session token; sub names the customer when the buyer is logged in.</summary>
    public string IssueExtensionToken(string shop, string? customerGid) =>
        ShopifySigning.ExtensionToken(shop, Options.ClientId, Options.ClientSecret, Options.Time.GetUtcNow(), customerGid);

    /// <summary>The signed request Shopify opens when a merchant installs the app: {appUrl}/auth/install?hmac&amp;shop&amp;timestamp.</summary>
    public Uri InstallRequest(string shop, Uri appUrl) => new(appUrl.ToString().TrimEnd('/') + "/auth/install?" + ShopifySigning.SignQuery(
        new Dictionary<string, string> { ["shop"] = shop, ["timestamp"] = Options.Time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) },
        Options.ClientSecret));

    /// <summary>
    /// The merchant clicks "install": Shopify opens the app's install URL, the app redirects to this store's authorize
    /// page, the merchant agrees, and the browser lands on the app's callback. Redirects are followed by hand, as a
    /// browser would, and the walk stops at the callback's answer.
    /// </summary>
    public async Task<SandboxInstallResult> InstallAppAsync(string shop, Uri appUrl, CancellationToken ct = default)
    {
        State.Shop(shop);
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };
        using var install = await http.GetAsync(InstallRequest(shop, appUrl), ct);
        var authorize = RedirectTarget(install, "the app's install URL");
        using var granted = await http.GetAsync(authorize, ct);
        var callback = RedirectTarget(granted, "the authorize page");
        using var answer = await http.GetAsync(callback, ct);
        return new SandboxInstallResult((int)answer.StatusCode, answer.Headers.Location?.ToString(), callback.ToString());
    }

    private static Uri RedirectTarget(HttpResponseMessage response, string what)
    {
        if ((int)response.StatusCode is < 300 or >= 400 || response.Headers.Location is null)
            throw new InvalidOperationException(
                $"Expected a redirect from {what} ({response.RequestMessage?.RequestUri}), got HTTP {(int)response.StatusCode}: " +
                response.Content.ReadAsStringAsync().GetAwaiter().GetResult());
        var location = response.Headers.Location;
        return location.IsAbsoluteUri ? location : new Uri(response.RequestMessage!.RequestUri!, location);
    }
}
