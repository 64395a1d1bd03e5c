namespace ShopifyReferral.Shopify;

/// <summary>The documents of the free-product and gift card rewards (listed in <see cref="AdminDocuments.All"/> too).</summary>
public static partial class AdminDocuments
{
    // A free-product reward looks its product up before making the code: the live title for the code, the price that
    // is taken off once, and whether it can still be bought (a deleted one answers null). Needs read_products.
    // https://shopify.dev/docs/api/admin-graphql/latest/queries/product
    public const string RewardProduct = """
        query RewardProduct($id: ID!) {
          product(id: $id) {
            id title status publishedAt
            variants(first: 1) { nodes { id price } }
          }
        }
        """;

    // https://shopify.dev/docs/api/admin-graphql/latest/queries/productVariant
    public const string RewardVariant = """
        query RewardVariant($id: ID!) {
          productVariant(id: $id) {
            id displayName price
            product { id title status publishedAt }
          }
        }
        """;

    private const string GiftCardFields = """
        id lastCharacters note enabled deactivatedAt expiresOn
        initialValue { amount currencyCode }
        balance { amount currencyCode }
        """;

    // Gift cards have no idempotency key; the code is ours (derived from the reward's key) and unique in the shop, so
    // a retry finds the card an earlier attempt made (search covers codes) or gets TAKEN. Needs write_gift_cards.
    // https://shopify.dev/docs/api/admin-graphql/latest/mutations/giftCardCreate
    public const string GiftCardCreate = $$"""
        mutation GiftCardCreate($input: GiftCardCreateInput!) {
          giftCardCreate(input: $input) {
            giftCard { {{GiftCardFields}} }
            giftCardCode
            {{UserErrors}}
          }
        }
        """;

    // https://shopify.dev/docs/api/admin-graphql/latest/queries/giftCards (the default term searches codes)
    public const string GiftCardsByCode = $$"""
        query GiftCardsByCode($query: String!) {
          giftCards(first: 5, query: $query) { nodes { {{GiftCardFields}} } }
        }
        """;

    public const string GiftCardById = $$"""
        query GiftCardById($id: ID!) {
          giftCard(id: $id) { {{GiftCardFields}} }
        }
        """;

    // A disabled card cannot be re-enabled: only a clawback calls this. https://shopify.dev/docs/api/admin-graphql/latest/mutations/giftCardDeactivate
    public const string GiftCardDeactivate = $$"""
        mutation GiftCardDeactivate($id: ID!) {
          giftCardDeactivate(id: $id) {
            giftCard { {{GiftCardFields}} }
            {{UserErrors}}
          }
        }
        """;
}
