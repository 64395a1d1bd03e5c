namespace ShopifyReferral.Sandbox;

/// <summary>Settings for one in-process sandbox store. Everything has a working default.</summary>
public sealed class SandboxOptions
{
    public string ClientId { get; set; } = "sandbox-client-id";

    /// <summary>Signs webhooks (HMAC) and validates token requests, like the app's real client secret.</summary>
    public string ClientSecret { get; set; } = "sandbox-client-secret";

    /// <summary>Kestrel listen URL; port 0 picks a free port.</summary>
    public string Url { get; set; } = "http://127.0.0.1:0";

    /// <summary>
    /// How many ports serve the store (with port 0 in <see cref="Url"/>, each a free one). Several app instances can
    /// each be given their own (<see cref="SandboxStore.AdminBaseUrlTemplateOf"/>) so a test tells the callers apart.
    /// </summary>
    public int Ports { get; set; } = 1;

    /// <summary>Called after a mutation ran and before its answer is written: the moment to kill the caller.</summary>
    public Action<SandboxMutation>? OnMutation { get; set; }

    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>
    /// Scopes granted when nothing else says which: codes made by <see cref="SandboxStore.CreateAuthorizationCode"/> and
    /// token exchange. The authorize page grants what the app asked for. These are the app's defaults plus the scopes a
    /// program's free products and gift cards need, as a merchant who granted those would have.
    /// </summary>
    public string Scopes { get; set; } =
        "read_orders,read_customers,write_customers,read_discounts,write_discounts,write_store_credit_account_transactions,read_products,write_gift_cards";

    /// <summary>Expiring offline tokens live 60 minutes (docs/shopify-facts.md#expiring-offline-tokens).</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(60);

    /// <summary>Shopify gives this lifetime per answer, normally 90 days; apps must read it from the response (docs/shopify-facts.md#token-endpoint).</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Standard-plan bucket as seen in real responses (docs/shopify-facts.md#rate-limits).</summary>
    public double ThrottleMaximumAvailable { get; set; } = 2000;

    /// <summary>Standard plan restores 100 points per second (docs/shopify-facts.md#rate-limits).</summary>
    public double ThrottleRestoreRate { get; set; } = 100;

    /// <summary>Shopify rejects any single query whose requested cost is above 1000 points (docs/shopify-facts.md#rate-limits).</summary>
    public int MaxSingleQueryCost { get; set; } = 1000;

    /// <summary>The payload version stamped on webhooks (X-Shopify-API-Version).</summary>
    public string WebhookApiVersion { get; set; } = "2026-10";

    public string Currency { get; set; } = "USD";

    /// <summary>
    /// Other currencies the shop sells in (its markets), besides <see cref="Currency"/>. A customer can hold a store
    /// credit account in each of these; any other currency is UNSUPPORTED_CURRENCY.
    /// </summary>
    public IReadOnlyList<string> PresentmentCurrencies { get; set; } = [];

    /// <summary>
    /// The Flow trigger handles the app's deployed flow_trigger extensions define; flowTriggerReceive refuses any other.
    /// </summary>
    public IReadOnlyList<string> FlowTriggerHandles { get; set; } =
        ["referral-approved", "referral-needs-review", "referral-voided", "reward-issued", "reward-clawed-back"];
}
