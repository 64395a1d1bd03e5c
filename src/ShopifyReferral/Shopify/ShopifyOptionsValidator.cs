using Microsoft.Extensions.Options;

namespace ShopifyReferral.Shopify;

/// <summary>What the running app needs beyond the client's own checks (see AddShopifyAdmin); names the key to set.</summary>
public sealed class ShopifyOptionsValidator : IValidateOptions<ShopifyOptions>
{
    public ValidateOptionsResult Validate(string? name, ShopifyOptions o)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(o.ClientId)) errors.Add("Shopify:ClientId must be set (the app's client id from the Partner Dashboard).");
        if (string.IsNullOrWhiteSpace(o.ClientSecret)) errors.Add("Shopify:ClientSecret must be set (the app's client secret; it is the webhook HMAC key).");
        if (!IsHttpUrl(o.AppUrl)) errors.Add("Shopify:AppUrl must be the app's public http(s) base URL, e.g. https://referrals.example.com.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static bool IsHttpUrl(string? s) =>
        Uri.TryCreate(s, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps);
}
