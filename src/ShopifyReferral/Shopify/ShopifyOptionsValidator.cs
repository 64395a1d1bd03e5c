using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace ShopifyReferral.Shopify;

/// <summary>Fails start-up with a message that names the key to set.</summary>
public sealed partial class ShopifyOptionsValidator : IValidateOptions<ShopifyOptions>
{
    public ValidateOptionsResult Validate(string? name, ShopifyOptions o)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(o.ClientId)) errors.Add("Shopify:ClientId must be set (the app's client id from the Partner Dashboard).");
        if (string.IsNullOrWhiteSpace(o.ClientSecret)) errors.Add("Shopify:ClientSecret must be set (the app's client secret; it is the webhook HMAC key).");
        if (!ApiVersionPattern().IsMatch(o.ApiVersion)) errors.Add($"Shopify:ApiVersion '{o.ApiVersion}' must look like 2026-10 (a quarterly YYYY-MM) or be 'unstable'.");
        if (!o.AdminBaseUrl.Contains("{shop}", StringComparison.Ordinal) || !IsHttpUrl(o.AdminBaseUrl.Replace("{shop}", "x.myshopify.com")))
            errors.Add($"Shopify:AdminBaseUrl '{o.AdminBaseUrl}' must be an http(s) URL template containing {{shop}}, e.g. https://{{shop}}.");
        if (!IsHttpUrl(o.AppUrl)) errors.Add("Shopify:AppUrl must be the app's public http(s) base URL, e.g. https://referrals.example.com.");
        if (o.RequestTimeout <= TimeSpan.Zero) errors.Add("Shopify:RequestTimeout must be positive, e.g. 00:00:10.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static bool IsHttpUrl(string? s) =>
        Uri.TryCreate(s, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps);

    [GeneratedRegex(@"^(\d{4}-(01|04|07|10)|unstable)$")]
    private static partial Regex ApiVersionPattern();
}
