namespace ShopifyReferral.Webhooks;

/// <summary>Wakes idle workers as soon as new rows are committed, so they need not wait a whole poll interval.</summary>
public sealed class InboxSignal : Jobs.WakeSignal;
