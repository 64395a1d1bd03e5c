using ShopifyReferral.Shopify;

namespace ShopifyReferral.Rewards;

/// <summary>The issuer's free-product and gift card rewards.</summary>
public sealed partial class RewardIssuer
{
    /// <summary>
    /// The reward's product as Shopify has it now. One deleted, archived, draft or no longer on the online store fails
    /// the reward with why (a code for something nobody can buy is no reward), for the merchant to pick another product.
    /// </summary>
    private async Task<RewardProduct> FreeProductAsync(OwedReward w, CancellationToken ct)
    {
        var named = w.ProductTitle is { Length: > 0 } t ? $"\"{t}\" ({w.ProductGid})" : w.ProductGid ?? "(none)";
        if (w.ProductGid is null || !CodeDiscountSpec.IsProductGid(w.ProductGid))
            throw new PermanentRewardException($"The free product reward names no product ({named}); nothing was issued. Choose the product in the program.");
        var product = await shopify.GetRewardProductAsync(w.Shop, w.ProductGid, ct)
            ?? throw new PermanentRewardException($"The free product {named} no longer exists in Shopify (it was deleted); nothing was issued. " +
                                                  "Choose another product in the program, then issue this reward by hand.");
        if (product.Status != "ACTIVE")
            throw new PermanentRewardException($"The free product {named} is {product.Status.ToLowerInvariant()} in Shopify, so nobody can buy it; " +
                                               "nothing was issued. Make it active again or choose another product, then issue this reward by hand.");
        if (!product.Published)
            throw new PermanentRewardException($"The free product {named} is not published to the online store, so nobody can buy it; " +
                                               "nothing was issued. Publish it or choose another product, then issue this reward by hand.");
        if (product.Price is not > 0)
            throw new PermanentRewardException($"The free product {named} has no price in Shopify (it is free already); nothing was issued.");
        return product;
    }

    /// <summary>What the note on a gift card says; the marker part is how a retry recognises the card as this reward's.</summary>
    private static string GiftCardMarker(OwedReward w) => $"ShopifyReferral reward {w.IdempotencyKey}";

    /// <summary>
    /// Gift card creation has no idempotency key. The code is ours (derived from the reward's key), unique in the shop,
    /// and the gate committed the in-flight marker before this call; so every attempt first looks for the card by its
    /// code and our note, and a create that meets TAKEN (an earlier attempt landed, its answer lost) adopts that card.
    /// A TAKEN card not found yet (search catches up a little later) is retried, never created a second time.
    /// </summary>
    private async Task<Issued> GiftCardAsync(OwedReward w, CancellationToken ct)
    {
        var marker = GiftCardMarker(w);
        if (await shopify.FindGiftCardAsync(w.Shop, w.Code!, marker, ct) is { } existing) return new(existing.Gid);
        var spec = new GiftCardSpec(w.Code!, w.FaceValue, w.Currency!, $"gid://shopify/Customer/{w.CustomerId}",
            w.ExpiresAt is { } e ? DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(e).UtcDateTime) : null,
            $"Referral reward for {w.FirstName ?? "customer " + w.CustomerId}" +
            (w.Kind == "milestone" ? " (a milestone)" : $" (referral {w.ReferralId})") + $". {marker}");
        try
        {
            return new((await shopify.CreateGiftCardAsync(w.Shop, spec, ct)).Gid);
        }
        catch (ShopifyUserErrorException ex) when (ex.UserErrors.Any(u => u.Code == "TAKEN"))
        {
            if (await shopify.FindGiftCardAsync(w.Shop, w.Code!, marker, ct) is { } found) return new(found.Gid);
            throw new InvalidOperationException($"The gift card code {w.Code} is taken but no card of this reward was found yet; will look again.", ex);
        }
    }

    private static string IssuedWords(OwedReward w) => Referrals.RewardTypes.TryParse(w.RewardType) switch
    {
        Referrals.RewardType.GiftCard => $"A gift card ending {w.Code![^4..]} was issued.",
        Referrals.RewardType.StoreCredit => "The reward was credited to the referrer's store credit.",
        _ => $"The reward code {w.Code} was issued.",
    };
}
