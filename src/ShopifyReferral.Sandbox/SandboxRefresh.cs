namespace ShopifyReferral.Sandbox;

/// <summary>
/// One refresh-token request. <paramref name="PresentedLatest"/>: it presented the newest refresh token of the shop.
/// One already rotated away means the caller refreshed from a stale read, as two instances refreshing at once do
/// (Shopify still honours it until the new access token is used, so only this flag shows the race).
/// </summary>
public sealed record SandboxRefresh(DateTimeOffset At, bool PresentedLatest, bool Granted);
