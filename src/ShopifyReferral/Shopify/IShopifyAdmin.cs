namespace ShopifyReferral.Shopify;

/// <summary>The narrow slice of the Admin GraphQL API the referral engine uses.</summary>
/// <remarks>
/// Failures surface as <see cref="ShopifyHttpException"/>, <see cref="ShopifyGraphQLException"/> or
/// <see cref="ShopifyUserErrorException"/>; transient ones have already been retried.
/// </remarks>
public interface IShopifyAdmin
{
    /// <summary>discountCodeBasicCreate (Percentage, FixedAmount) or discountCodeFreeShippingCreate.</summary>
    Task<CreatedDiscount> CreateCodeDiscountAsync(string shop, CodeDiscountSpec spec, CancellationToken ct);

    /// <summary>discountRedeemCodeBulkAdd, in batches of 250; Shopify adds the codes asynchronously.</summary>
    Task AddRedeemCodesAsync(string shop, string discountGid, IReadOnlyList<string> codes, CancellationToken ct);

    /// <summary>codeDiscountNodeByCode (case-insensitive); null when no discount has this code.</summary>
    Task<FoundDiscount?> FindDiscountByCodeAsync(string shop, string code, CancellationToken ct);

    /// <summary>discountCodeDeactivate: checkout stops taking the code; the discount as Shopify has it afterwards.</summary>
    Task<FoundDiscount> DeactivateDiscountAsync(string shop, string discountGid, CancellationToken ct);

    /// <summary>discountCodeActivate: a deactivated code works again; the discount as Shopify has it afterwards.</summary>
    Task<FoundDiscount> ActivateDiscountAsync(string shop, string discountGid, CancellationToken ct);

    /// <summary>storeCreditAccountCredit on a Customer gid (the account per currency is created on demand).</summary>
    Task<StoreCreditResult> CreditStoreAccountAsync(
        string shop, string customerGid, decimal amount, string currency, DateTimeOffset? expiresAt, CancellationToken ct);

    /// <summary>product(id:) or productVariant(id:) by the gid's kind; null when Shopify has no such product (deleted).</summary>
    Task<RewardProduct?> GetRewardProductAsync(string shop, string productGid, CancellationToken ct);

    /// <summary>giftCardCreate with a code we chose; TAKEN when a card already has it. Never retried by the pipeline.</summary>
    Task<GiftCardInfo> CreateGiftCardAsync(string shop, GiftCardSpec spec, CancellationToken ct);

    /// <summary>giftCards(query: code): the card with exactly this code's last characters and a note naming <paramref name="noteMarker"/>, or null.</summary>
    Task<GiftCardInfo?> FindGiftCardAsync(string shop, string code, string noteMarker, CancellationToken ct);

    /// <summary>giftCard(id:); null when there is none.</summary>
    Task<GiftCardInfo?> GetGiftCardAsync(string shop, string giftCardGid, CancellationToken ct);

    /// <summary>giftCardDeactivate: the card cannot be spent any more (and never re-enabled).</summary>
    Task<GiftCardInfo> DeactivateGiftCardAsync(string shop, string giftCardGid, CancellationToken ct);

    /// <summary>customer(id){numberOfOrders}; null when the customer does not exist.</summary>
    Task<long?> GetCustomerOrderCountAsync(string shop, string customerGid, CancellationToken ct);

    /// <summary>One page of 50 orders updated after <paramref name="since"/>, oldest update first.</summary>
    Task<OrdersPage> GetOrdersUpdatedSinceAsync(string shop, DateTimeOffset since, string? after, CancellationToken ct);

    /// <summary>order(id:) with its buyer; null when the shop has no such order.</summary>
    Task<OrderBuyer?> GetOrderBuyerAsync(string shop, string orderGid, CancellationToken ct);

    /// <summary>metafieldsSet (at most 25, atomic); sets each value whether or not it existed.</summary>
    Task SetMetafieldsAsync(string shop, IReadOnlyList<MetafieldInput> metafields, CancellationToken ct);

    /// <summary>tagsAdd on any taggable node (a Customer here); tags already present stay as they are.</summary>
    Task AddTagsAsync(string shop, string ownerGid, IReadOnlyList<string> tags, CancellationToken ct);
}

/// <summary>One metafield to set, e.g. ("gid://shopify/Customer/1", "$app:referral", "last_reward_code", "single_line_text_field", "THANKS-…").</summary>
public sealed record MetafieldInput(string OwnerId, string Namespace, string Key, string Type, string Value);

/// <summary>Supplies a shop's Admin API access token (implemented by the Shops feature).</summary>
public interface IShopTokens
{
    ValueTask<string> GetAccessTokenAsync(string shop, CancellationToken ct);
}
