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

    public ShopifyResilience(IOptions<ShopifyOptions> options, TimeProvider time, ILogger<ShopifyResilience> log)
    {
        var o = options.Value;
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
                ShouldHandle = new PredicateBuilder()
                    .Handle<ShopifyHttpException>(e => e.IsTransient)
                    .Handle<ShopifyThrottledException>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>(),
                DelayGenerator = args => ValueTask.FromResult(ServerRequestedDelay(args.Outcome.Exception, o)),
                OnRetry = args =>
                {
                    log.LogWarning(args.Outcome.Exception, "Shopify call failed, retry {Attempt} in {Delay}",
                        args.AttemptNumber + 1, args.RetryDelay);
                    return default;
                },
            });
        }
        Pipeline = builder.AddTimeout(o.RequestTimeout).Build();
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
