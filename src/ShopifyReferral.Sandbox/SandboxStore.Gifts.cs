using ShopifyReferral.Sandbox.State;

namespace ShopifyReferral.Sandbox;

/// <summary>Test-side products and gift cards: what a merchant does in the admin, and what a shopper spends.</summary>
public sealed partial class SandboxStore
{
    /// <summary>A published, active product with one variant at <paramref name="price"/> (shop currency).</summary>
    public SandboxProduct AddProduct(string shop, string title, decimal price)
    {
        var s = State.Shop(shop);
        var product = new SandboxProduct(State.NextId(), title, "ACTIVE", Options.Time.GetUtcNow(),
            [new SandboxVariant(State.NextId(), "Default Title", price)]);
        s.UpsertProduct(product);
        return product;
    }

    /// <summary>The merchant sets the product to DRAFT, ARCHIVED, UNLISTED or ACTIVE.</summary>
    public void SetProductStatus(string shop, long productId, string status, bool published = true)
    {
        var s = State.Shop(shop);
        var p = s.FindProduct(productId) ?? throw new InvalidOperationException($"No product {productId}");
        s.UpsertProduct(p with { Status = status, PublishedAt = published ? p.PublishedAt ?? Options.Time.GetUtcNow() : null });
    }

    /// <summary>The merchant deletes the product: lookups answer null and new discounts cannot name it.</summary>
    public bool DeleteProduct(string shop, long productId) => State.Shop(shop).RemoveProduct(productId);

    public IReadOnlyList<SandboxGiftCard> GiftCards(string shop) => State.Shop(shop).GiftCards;

    /// <summary>A shopper pays <paramref name="amount"/> with the card (at most its balance); false when it cannot be used.</summary>
    public bool SpendGiftCard(string shop, string code, decimal amount)
    {
        var s = State.Shop(shop);
        lock (s.Gate)
        {
            if (s.FindGiftCardByCode(code) is not { Enabled: true } card || card.Balance <= 0) return false;
            s.ReplaceGiftCard(card with { Balance = Math.Max(0, card.Balance - amount) });
            return true;
        }
    }
}
