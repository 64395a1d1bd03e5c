using Polly.Timeout;
using ShopifyReferral.Shopify;

namespace ShopifyReferral.Shops;

/// <summary>
/// The ways one call to a shop's Shopify (Admin API or token endpoint) can fail that concern that shop only: an error
/// answer, a network error, Polly's per-attempt timeout, HttpClient's own timeout, a refresh another instance holds
/// too long, no usable token. Sweeps over many shops catch exactly these per item, log them and go on with the next;
/// anything else is a bug and surfaces.
/// </summary>
public static class ShopCallFailure
{
    public static bool Is(Exception ex, CancellationToken ct) => ex switch
    {
        ShopifyException or HttpRequestException or TimeoutRejectedException or TimeoutException
            or ShopNotInstalledException or ShopifyOAuthException => true,
        OperationCanceledException => !ct.IsCancellationRequested, // a timeout, not our shutdown
        _ => false,
    };
}
