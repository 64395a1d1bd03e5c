namespace ShopifyReferral.Sandbox.State;

/// <summary>A product with its variants; Status is ProductStatus (ACTIVE, DRAFT, ARCHIVED, UNLISTED).</summary>
public sealed record SandboxProduct(long Id, string Title, string Status, DateTimeOffset? PublishedAt, IReadOnlyList<SandboxVariant> Variants)
{
    public string Gid => $"gid://shopify/Product/{Id}";
}

/// <summary>One variant; Price is in the shop's currency (the Money scalar carries none).</summary>
public sealed record SandboxVariant(long Id, string Title, decimal Price)
{
    public string Gid => $"gid://shopify/ProductVariant/{Id}";
}

/// <summary>
/// A gift card. The full code is kept to match checkouts and searches; Shopify shows it only in the create answer,
/// so the graph gives its last characters. A disabled card is never enabled again.
/// </summary>
public sealed record SandboxGiftCard(long Id, string Code, decimal InitialValue, decimal Balance, string Currency, long? CustomerId,
    DateOnly? ExpiresOn, string? Note, DateTimeOffset CreatedAt, DateTimeOffset? DeactivatedAt = null)
{
    public string Gid => $"gid://shopify/GiftCard/{Id}";
    public bool Enabled => DeactivatedAt is null;
    public string LastCharacters => Code[^4..];
}
