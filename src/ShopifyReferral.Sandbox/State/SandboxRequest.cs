namespace ShopifyReferral.Sandbox.State;

/// <summary>
/// One Admin GraphQL request as the shop saw it: HTTP status (0 when the connection was aborted) and the
/// first <c>errors[].extensions.code</c>, e.g. THROTTLED, so tests can prove a retry really happened.
/// </summary>
public sealed record SandboxRequest(DateTimeOffset At, string? Operation, int Status, string? ErrorCode);
