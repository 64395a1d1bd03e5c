using ShopifyReferral.Shopify;

namespace ShopifyReferral.Referrals;

/// <summary>A friend offer of one free product: the product as Shopify has it when the referrer's code is made.</summary>
public sealed partial class ReferrerCodeSync
{
    /// <summary>
    /// The offer's product, live. One deleted or no longer sold leaves the code failed with why (the dashboard shows
    /// it), never a code promising what nobody can buy; the merchant picks another product and the code is retried.
    /// </summary>
    private async Task<RewardProduct> FriendProductAsync(string shop, FriendOffer offer, CancellationToken ct)
    {
        var named = offer.ProductTitle is { Length: > 0 } t ? $"\"{t}\" ({offer.ProductId})" : offer.ProductId ?? "(none)";
        if (offer.ProductId is null || !CodeDiscountSpec.IsProductGid(offer.ProductId))
            throw new FriendProductException($"The friend offer's free product names no product ({named}); choose it in the program.");
        var product = await shopify.GetRewardProductAsync(shop, offer.ProductId, ct)
            ?? throw new FriendProductException($"The friend offer's free product {named} no longer exists in Shopify (it was deleted); no code was made.");
        if (product.Status != "ACTIVE" || !product.Published)
            throw new FriendProductException($"The friend offer's free product {named} is {(product.Status != "ACTIVE" ? product.Status.ToLowerInvariant() : "not published to the online store")} in Shopify, so nobody can buy it; no code was made.");
        if (product.Price is not > 0)
            throw new FriendProductException($"The friend offer's free product {named} has no price in Shopify; no code was made.");
        return product;
    }

    private sealed class FriendProductException(string message) : Exception(message);
}
