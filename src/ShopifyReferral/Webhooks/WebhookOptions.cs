using Microsoft.Extensions.Options;

namespace ShopifyReferral.Webhooks;

/// <summary>Bound from <c>Webhooks</c>.</summary>
public sealed class WebhookOptions
{
    public int MaxBodyBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>Attempts before a row is marked failed (the first try counts).</summary>
    public int MaxAttempts { get; set; } = 8;

    public int Workers { get; set; } = 2;

    public int ClaimBatchSize { get; set; } = 32;

    /// <summary>
    /// A claimed batch's order deliveries are handled in one transaction with their inbox outcomes (one commit for
    /// the batch instead of about five per order), each row in its own savepoint. False: one row at a time, each
    /// handler committing its own writes (the behaviour before; kept for comparison and as a fallback).
    /// </summary>
    public bool OneTransactionPerBatch { get; set; } = true;

    /// <summary>
    /// How long a batch's transaction works before it lets a waiting intake commit go first. At a high rate the intake
    /// commits nearly all the time, and a batch that gave way at once would commit after every row and wait for each
    /// intake commit between them (a few hundred orders a second at most); this is about what a delivery's 200 may
    /// wait for the workers. Zero: give way after the row in hand.
    /// </summary>
    public TimeSpan IntakeYieldAfter { get; set; } = TimeSpan.FromMilliseconds(5);

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How long a claimed row stays with its worker without a heartbeat. A live worker renews it every third of this
    /// while it works the batch; only a crashed or stuck worker's rows are taken by another after it runs out.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// How long a row waits when its shop has no usable token (uninstalled, or needing re-authorisation). Its attempt
    /// is not counted; a new install makes it due at once, so this is only the fallback re-check.
    /// </summary>
    public TimeSpan ParkedRecheck { get; set; } = TimeSpan.FromHours(6);

    /// <summary>
    /// How long a processed delivery's raw body is kept (it holds customers' personal data). After it, done and skipped
    /// rows are deleted and failed rows lose their body (the row and its error stay). At least a day: the row is also
    /// what recognises a delivery Shopify sends again (retries run for up to 4 hours).
    /// </summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(3);

    /// <summary>Most rows one group commit writes in a single transaction.</summary>
    public int MaxGroupCommit { get; set; } = 512;

    /// <summary>
    /// Most body bytes waiting for their commit; past this a delivery gets 503 with Retry-After (Shopify retries it).
    /// 64 MB is about 15,000 typical 4 KB orders: seconds of work, far below what exhausts a small machine.
    /// </summary>
    public long IntakeQueueBytes { get; set; } = 64L * 1024 * 1024;
}

internal sealed class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookOptions o)
    {
        var errors = new List<string>();
        if (o.MaxBodyBytes < 1024) errors.Add("Webhooks:MaxBodyBytes must be at least 1024.");
        if (o.MaxAttempts < 1) errors.Add("Webhooks:MaxAttempts must be at least 1.");
        if (o.Workers < 0) errors.Add("Webhooks:Workers must be 0 (no processing here) or more.");
        if (o.ClaimBatchSize < 1) errors.Add("Webhooks:ClaimBatchSize must be at least 1.");
        if (o.PollInterval <= TimeSpan.Zero) errors.Add("Webhooks:PollInterval must be positive.");
        if (o.IntakeYieldAfter < TimeSpan.Zero || o.IntakeYieldAfter > TimeSpan.FromSeconds(1)) errors.Add("Webhooks:IntakeYieldAfter must be between 0 and 00:00:01 (what a delivery's 200 may wait for the workers).");
        if (o.LeaseDuration <= TimeSpan.Zero) errors.Add("Webhooks:LeaseDuration must be positive.");
        if (o.RetryBaseDelay < TimeSpan.Zero || o.RetryMaxDelay < o.RetryBaseDelay) errors.Add("Webhooks:RetryBaseDelay must be >= 0 and <= Webhooks:RetryMaxDelay.");
        if (o.ParkedRecheck <= TimeSpan.Zero) errors.Add("Webhooks:ParkedRecheck must be positive.");
        if (o.MaxGroupCommit < 1) errors.Add("Webhooks:MaxGroupCommit must be at least 1.");
        if (o.Retention < TimeSpan.FromDays(1)) errors.Add("Webhooks:Retention must be at least 1.00:00:00 (one day): Shopify may resend a delivery for hours.");
        if (o.IntakeQueueBytes < o.MaxBodyBytes) errors.Add("Webhooks:IntakeQueueBytes must be at least Webhooks:MaxBodyBytes.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
