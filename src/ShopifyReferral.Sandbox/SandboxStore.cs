namespace ShopifyReferral.Sandbox;

public sealed class SandboxStore;
