namespace ShopifyReferral.Sandbox.State;

/// <summary>The shop's products and gift cards.</summary>
public sealed partial class ShopState
{
    private readonly List<SandboxProduct> _products = [];
    private readonly List<SandboxGiftCard> _giftCards = [];

    public IReadOnlyList<SandboxProduct> Products { get { lock (Gate) return [.. _products]; } }
    public IReadOnlyList<SandboxGiftCard> GiftCards { get { lock (Gate) return [.. _giftCards]; } }

    public SandboxProduct? FindProduct(long id) { lock (Gate) return _products.FirstOrDefault(p => p.Id == id); }

    public (SandboxProduct Product, SandboxVariant Variant)? FindVariant(long id)
    {
        lock (Gate)
            return _products.SelectMany(p => p.Variants.Select(v => (p, v))).FirstOrDefault(x => x.v.Id == id) is { p: not null } f ? (f.p, f.v) : null;
    }

    internal void UpsertProduct(SandboxProduct product)
    {
        lock (Gate)
        {
            _products.RemoveAll(p => p.Id == product.Id);
            _products.Add(product);
        }
    }

    internal bool RemoveProduct(long id) { lock (Gate) return _products.RemoveAll(p => p.Id == id) > 0; }

    /// <summary>Case-insensitive, as Shopify's codes are.</summary>
    public SandboxGiftCard? FindGiftCardByCode(string code)
    {
        lock (Gate) return _giftCards.FirstOrDefault(g => string.Equals(g.Code, code, StringComparison.OrdinalIgnoreCase));
    }

    public SandboxGiftCard? FindGiftCard(long id) { lock (Gate) return _giftCards.FirstOrDefault(g => g.Id == id); }

    /// <summary>Adds under the lock; callers check the code is free inside the same lock.</summary>
    internal void AddGiftCard(SandboxGiftCard card) { lock (Gate) _giftCards.Add(card); }

    internal void ReplaceGiftCard(SandboxGiftCard card)
    {
        lock (Gate)
        {
            var i = _giftCards.FindIndex(g => g.Id == card.Id);
            if (i >= 0) _giftCards[i] = card;
        }
    }
}
