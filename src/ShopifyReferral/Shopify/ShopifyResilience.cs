using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace ShopifyReferral.Shopify;

/// <summary>The one Polly pipeline for Admin API calls, built once: retry (outer) around a per-attempt timeout.</summary>
public sealed class ShopifyResilience
{
    public ResiliencePipeline Pipeline { get; }

    /// <summary>
    /// For mutations that are not idempotent (storeCreditAccountCredit): retries only answers Shopify gives
    /// before running anything (THROTTLED, 429). A 5xx, a timeout or a reset may come after the change was
    /// committed, so retrying it could credit twice; the caller decides with its own records instead.
    /// </summary>
    public ResiliencePipeline NotIdempotentPipeline { get; }

    public ShopifyResilience(IOptions<ShopifyOptions> options, TimeProvider time, ILogger<ShopifyResilience> log)
    {
        Pipeline = Build(options.Value, time, log, new PredicateBuilder()
            .Handle<ShopifyHttpException>(e => e.IsTransient)
            .Handle<ShopifyThrottledException>()
            .Handle<HttpRequestException>()
            .Handle<TimeoutRejectedException>());
        NotIdempotentPipeline = Build(options.Value, time, log, new PredicateBuilder()
            .Handle<ShopifyHttpException>(e => e.Status == System.Net.HttpStatusCode.TooManyRequests)
            .Handle<ShopifyThrottledException>());
    }

    private static ResiliencePipeline Build(ShopifyOptions o, TimeProvider time, ILogger log, PredicateBuilder<object> shouldRetry)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        if (o.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = o.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = o.RetryBaseDelay,
                MaxDelay = o.MaxRetryDelay,
                // userErrors and other GraphQL errors are permanent: only these are worth another try.
                ShouldHandle = shouldRetry,
                DelayGenerator = args => ValueTask.FromResult(ServerRequestedDelay(args.Outcome.Exception, o)),
                OnRetry = args =>
                {
                    log.LogWarning(args.Outcome.Exception, "Shopify call failed, retry {Attempt} in {Delay}",
                        args.AttemptNumber + 1, args.RetryDelay);
                    return default;
                },
            });
        }
        return builder.AddTimeout(o.RequestTimeout).Build();
    }

    /// <summary>The wait Shopify asked for, if any; null falls back to exponential backoff with jitter.</summary>
    private static TimeSpan? ServerRequestedDelay(Exception? error, ShopifyOptions o)
    {
        TimeSpan? wait = error switch
        {
            ShopifyHttpException { RetryAfter: { } retryAfter } => retryAfter,
            ShopifyThrottledException t => t.RetryAfter < o.MinThrottleDelay ? o.MinThrottleDelay : t.RetryAfter,
            _ => null,
        };
        return wait > o.MaxRetryDelay ? o.MaxRetryDelay : wait;
    }
}
