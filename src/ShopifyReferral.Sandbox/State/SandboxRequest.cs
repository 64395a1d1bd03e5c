namespace ShopifyReferral.Sandbox.State;

/// <summary>
/// One Admin GraphQL request as the shop saw it: HTTP status (0 when the connection was aborted) and the
/// first <c>errors[].extensions.code</c>, e.g. THROTTLED, so tests can prove a retry really happened.
/// </summary>
public sealed record SandboxRequest(DateTimeOffset At, string? Operation, int Status, string? ErrorCode)
{
    /// <summary>The document as received (null before the body was read: a fault at the edge, a bad token).</summary>
    public string? Query { get; init; }

    /// <summary>The variables as received, as JSON text.</summary>
    public string? Variables { get; init; }
}
