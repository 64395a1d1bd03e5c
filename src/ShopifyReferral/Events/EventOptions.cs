using Microsoft.Extensions.Options;
using ShopifyReferral.Jobs;

namespace ShopifyReferral.Events;

/// <summary>Bound from <c>Events</c>: where events may be sent and how long a failing endpoint is retried.</summary>
public sealed class EventOptions
{
    /// <summary>
    /// Lets endpoints be plain http and on loopback, private or link-local addresses (a receiver on this machine or
    /// network). Off in production: otherwise a merchant could make the app POST into the operator's own network.
    /// </summary>
    public bool AllowPrivateEndpoints { get; set; }

    /// <summary>One attempt's whole time, connect to last byte; a slow receiver is retried, not waited for.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts per delivery, the first included. With the default waits, 32 attempts span just over 25 hours.</summary>
    public int MaxAttempts { get; set; } = 32;

    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Each wait is stretched by a random share of up to this (0.2: up to 20% longer).</summary>
    public double RetryJitter { get; set; } = 0.2;

    public JobRetry Retry => new(MaxAttempts, RetryBaseDelay, RetryMaxDelay, RetryJitter);
}

internal sealed class EventOptionsValidator : IValidateOptions<EventOptions>
{
    public ValidateOptionsResult Validate(string? name, EventOptions o)
    {
        var errors = new List<string>();
        if (o.RequestTimeout <= TimeSpan.Zero) errors.Add("Events:RequestTimeout must be positive.");
        if (o.MaxAttempts < 1) errors.Add("Events:MaxAttempts must be at least 1.");
        if (o.RetryBaseDelay < TimeSpan.Zero || o.RetryMaxDelay < o.RetryBaseDelay) errors.Add("Events:RetryBaseDelay must be >= 0 and <= Events:RetryMaxDelay.");
        if (o.RetryJitter is < 0 or > 1) errors.Add("Events:RetryJitter must be between 0 and 1.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
