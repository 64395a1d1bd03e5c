using System.Text.Json;

namespace ShopifyReferral.Webhooks;

/// <summary>A delivery as a handler sees it: the parsed payload plus where and when it came from.</summary>
public sealed record WebhookMessage(
    long InboxId, string Shop, string Topic, string WebhookId, string? EventId, string? TriggeredAt, JsonElement Payload, int Attempt);

/// <summary>
/// Handles one or more topics. Must be safe to run twice for the same delivery: a worker can crash after
/// the handler's work committed and before the row was marked done.
/// </summary>
public interface IWebhookHandler
{
    IReadOnlyCollection<string> Topics { get; }

    /// <summary>
    /// True when the handler's deliveries may share one transaction with the rest of their batch (see
    /// <see cref="WebhookProcessor"/>): everything it writes goes through <see cref="Data.Db"/>, and whatever it keeps
    /// in memory stays right if its writes are undone. A Shopify call inside is caught and the row runs on its own.
    /// </summary>
    bool JoinsBatch => false;

    /// <summary>
    /// What this handler's rows of a batch will ask another system (Shopify) for, asked before the batch's transaction
    /// begins, so those rows stay in it instead of being undone and run on their own. The unit takes each answer as
    /// already read (<see cref="Data.UnitOfWork.ReadOnceAsync{T}"/>). An answer left out costs only that: its row
    /// asks for itself, on its own, as without this.
    /// </summary>
    Task<IReadOnlyList<Data.PreRead>> PreReadAsync(IReadOnlyList<InboxRow> rows, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<Data.PreRead>>([]);

    Task HandleAsync(WebhookMessage message, CancellationToken ct);
}

/// <summary>
/// The handler looked and found the delivery must change nothing (a stale event, say): the row ends as skipped with
/// this reason, for an operator to read.
/// </summary>
public sealed class SkippedWebhookException(string reason) : Exception(reason);

/// <summary>A failure that no retry can fix (a malformed payload, a field that is not there): the row fails at once.</summary>
public sealed class PermanentWebhookException(string message, Exception? inner = null) : Exception(message, inner);
