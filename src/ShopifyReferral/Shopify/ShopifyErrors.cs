using System.Net;

namespace ShopifyReferral.Shopify;

/// <summary>Base of the three Shopify error kinds; carries Shopify's X-Request-Id for support tickets.</summary>
public abstract class ShopifyException(string message, string? requestId, Exception? inner = null)
    : Exception(requestId is null ? message : $"{message} (X-Request-Id {requestId})", inner)
{
    public string? RequestId { get; } = requestId;
}

/// <summary>A non-2xx response, raised after the retries ran out for transient statuses.</summary>
public sealed class ShopifyHttpException(HttpStatusCode status, string? requestId, TimeSpan? retryAfter, string body)
    : ShopifyException($"Shopify Admin API returned HTTP {(int)status}: {body}", requestId)
{
    public HttpStatusCode Status { get; } = status;
    public TimeSpan? RetryAfter { get; } = retryAfter;
    public string Body { get; } = body;

    /// <summary>429 (rate limited) and 5xx are worth another try; 4xx such as 401/403/404 are not.</summary>
    public bool IsTransient => Status == HttpStatusCode.TooManyRequests || (int)Status >= 500;
}

public sealed record ShopifyGraphQLError(string Message, string? Code);

/// <summary>Top-level GraphQL <c>errors</c>: the request as a whole failed (bad query, access denied, …).</summary>
public class ShopifyGraphQLException(IReadOnlyList<ShopifyGraphQLError> errors, string? requestId)
    : ShopifyException("Shopify GraphQL errors: " + string.Join("; ", errors.Select(e => e.Message)), requestId)
{
    public IReadOnlyList<ShopifyGraphQLError> Errors { get; } = errors;
}

/// <summary>
/// <c>errors[].extensions.code == "THROTTLED"</c>: the bucket lacked the requested points. Retried after
/// (requested - currentlyAvailable) / restoreRate seconds (shopify.dev/docs/api/usage/limits).
/// </summary>
public sealed class ShopifyThrottledException(IReadOnlyList<ShopifyGraphQLError> errors, string? requestId, TimeSpan retryAfter)
    : ShopifyGraphQLException(errors, requestId)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}

public sealed record ShopifyUserError(IReadOnlyList<string> Field, string? Code, string Message);

/// <summary>
/// A mutation's <c>userErrors</c>: Shopify answered 200 but refused the input (taken code, bad customer id…).
/// Permanent, so never retried.
/// </summary>
public sealed class ShopifyUserErrorException(string mutation, IReadOnlyList<ShopifyUserError> userErrors, string? requestId)
    : ShopifyException($"{mutation} was rejected: " + string.Join("; ", userErrors.Select(Describe)), requestId)
{
    public string Mutation { get; } = mutation;
    public IReadOnlyList<ShopifyUserError> UserErrors { get; } = userErrors;

    private static string Describe(ShopifyUserError e) =>
        $"{e.Message} [{e.Code ?? "no code"} at {(e.Field.Count == 0 ? "-" : string.Join('.', e.Field))}]";
}
