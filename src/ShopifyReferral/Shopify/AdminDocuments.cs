namespace ShopifyReferral.Shopify;

/// <summary>
/// Every Admin GraphQL document the app sends, in one place so AdminDocumentsTests can validate
/// them all against Shopify's published schema (tools/graphql-validate).
/// </summary>
public static partial class AdminDocuments
{
    // Shared selection for a code discount. DiscountCode is a union with no common interface,
    // so each member we create is spelled out.
    private const string DiscountFields = """
        id
        codeDiscount {
          __typename
          ... on DiscountCodeBasic { title status startsAt endsAt asyncUsageCount }
          ... on DiscountCodeFreeShipping { title status startsAt endsAt asyncUsageCount }
        }
        """;

    internal const string UserErrors = "userErrors { field code message }";

    // https://shopify.dev/docs/api/admin-graphql/latest/mutations/discountCodeBasicCreate
    public const string DiscountCodeBasicCreate = $$"""
        mutation DiscountCodeBasicCreate($discount: DiscountCodeBasicInput!) {
          discountCodeBasicCreate(basicCodeDiscount: $discount) {
            codeDiscountNode { {{DiscountFields}} }
            {{UserErrors}}
          }
        }
        """;

    public const string DiscountCodeFreeShippingCreate = $$"""
        mutation DiscountCodeFreeShippingCreate($discount: DiscountCodeFreeShippingInput!) {
          discountCodeFreeShippingCreate(freeShippingCodeDiscount: $discount) {
            codeDiscountNode { {{DiscountFields}} }
            {{UserErrors}}
          }
        }
        """;

    // Codes are added asynchronously; bulkCreation.id can be polled with discountRedeemCodeBulkCreation.
    public const string DiscountRedeemCodeBulkAdd = $$"""
        mutation DiscountRedeemCodeBulkAdd($discountId: ID!, $codes: [DiscountRedeemCodeInput!]!) {
          discountRedeemCodeBulkAdd(discountId: $discountId, codes: $codes) {
            bulkCreation { id }
            {{UserErrors}}
          }
        }
        """;

    // Lookup is case-insensitive on Shopify's side.
    public const string CodeDiscountNodeByCode = $$"""
        query CodeDiscountNodeByCode($code: String!) {
          codeDiscountNodeByCode(code: $code) { {{DiscountFields}} }
        }
        """;

    // Blocking a referrer and clawing back a reward. Both answer the node with its status afterwards (EXPIRED once
    // deactivated, ACTIVE once activated), which is what the code sync records as confirmed.
    // https://shopify.dev/docs/api/admin-graphql/latest/mutations/discountCodeDeactivate
    public const string DiscountCodeDeactivate = $$"""
        mutation DiscountCodeDeactivate($id: ID!) {
          discountCodeDeactivate(id: $id) {
            codeDiscountNode { {{DiscountFields}} }
            {{UserErrors}}
          }
        }
        """;

    // Unblocking a referrer. https://shopify.dev/docs/api/admin-graphql/latest/mutations/discountCodeActivate
    public const string DiscountCodeActivate = $$"""
        mutation DiscountCodeActivate($id: ID!) {
          discountCodeActivate(id: $id) {
            codeDiscountNode { {{DiscountFields}} }
            {{UserErrors}}
          }
        }
        """;

    // `id` may be a Customer gid: Shopify then creates the account for that currency.
    public const string StoreCreditAccountCredit = $$"""
        mutation StoreCreditAccountCredit($id: ID!, $credit: StoreCreditAccountCreditInput!) {
          storeCreditAccountCredit(id: $id, creditInput: $credit) {
            storeCreditAccountTransaction {
              id
              amount { amount currencyCode }
              balanceAfterTransaction { amount currencyCode }
              expiresAt
              account { id }
            }
            {{UserErrors}}
          }
        }
        """;

    // Clawing back store credit. Shopify never takes an account below zero, so the debit is at most the balance.
    // https://shopify.dev/docs/api/admin-graphql/latest/mutations/storeCreditAccountDebit
    public const string StoreCreditAccountDebit = $$"""
        mutation StoreCreditAccountDebit($id: ID!, $debit: StoreCreditAccountDebitInput!) {
          storeCreditAccountDebit(id: $id, debitInput: $debit) {
            storeCreditAccountTransaction {
              id
              amount { amount currencyCode }
              balanceAfterTransaction { amount currencyCode }
              account { id }
            }
            {{UserErrors}}
          }
        }
        """;

    // A customer's balances and latest debits: the balance caps a clawback, and the debits are where a debit whose
    // answer was lost is found before it is sent again (a debit has no key of ours; the app's own are ADJUSTMENTs).
    public const string CustomerStoreCredit = """
        query CustomerStoreCredit($id: ID!) {
          customer(id: $id) {
            id
            storeCreditAccounts(first: 5) {
              nodes {
                id
                balance { amount currencyCode }
                transactions(first: 10, reverse: true, query: "type:debit") {
                  nodes {
                    __typename
                    amount { amount currencyCode }
                    createdAt
                    event
                    ... on StoreCreditAccountDebitTransaction { id }
                  }
                }
              }
            }
          }
        }
        """;

    // Fires one of our Flow triggers (extensions/flow-*); payload keys are the trigger's fields, customer_id its
    // customer_reference. https://shopify.dev/docs/api/admin-graphql/latest/mutations/flowTriggerReceive
    public const string FlowTriggerReceive = """
        mutation FlowTriggerReceive($handle: String!, $payload: JSON!) {
          flowTriggerReceive(handle: $handle, payload: $payload) {
            userErrors { field message }
          }
        }
        """;

    public const string CustomerOrderCount = """
        query CustomerOrderCount($id: ID!) {
          customer(id: $id) { id numberOfOrders }
        }
        """;

    // Customer.email is deprecated in the schema; defaultEmailAddress replaces it.
    public const string OrdersUpdatedSince = """
        query OrdersUpdatedSince($first: Int!, $after: String, $query: String!) {
          orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
            nodes {
              id
              legacyResourceId
              name
              email
              createdAt
              updatedAt
              cancelledAt
              test
              displayFinancialStatus
              discountCodes
              subtotalPriceSet { shopMoney { amount currencyCode } }
              currentSubtotalPriceSet { shopMoney { amount currencyCode } }
              totalPriceSet { shopMoney { amount currencyCode } }
              customer { id numberOfOrders defaultEmailAddress { emailAddress } }
            }
            pageInfo { hasNextPage endCursor }
          }
        }
        """;

    // The thank-you block (issue 12) asks about the buyer's order before orders/paid may have arrived: who bought
    // it (the customer to enrol), whether it is paid (for a paying-customers-only program) and the codes it used.
    // https://shopify.dev/docs/api/admin-graphql/latest/queries/order
    public const string OrderForExtension = """
        query OrderForExtension($id: ID!) {
          order(id: $id) {
            id
            legacyResourceId
            name
            createdAt
            cancelledAt
            test
            displayFinancialStatus
            discountCodes
            customer { id legacyResourceId firstName lastName defaultEmailAddress { emailAddress } }
          }
        }
        """;

    // Thanking referrers (issue 5): the $app namespace keeps the metafield owned by this app; both calls set a
    // state (a value, a tag) so repeating them after a crash changes nothing.
    // https://shopify.dev/docs/api/admin-graphql/latest/mutations/metafieldsSet
    public const string MetafieldsSet = $$"""
        mutation MetafieldsSet($metafields: [MetafieldsSetInput!]!) {
          metafieldsSet(metafields: $metafields) {
            metafields { id namespace key value type }
            userErrors { field code message elementIndex }
          }
        }
        """;

    // https://shopify.dev/docs/api/admin-graphql/latest/mutations/tagsAdd (userErrors are plain UserError: no code)
    public const string TagsAdd = """
        mutation TagsAdd($id: ID!, $tags: [String!]!) {
          tagsAdd(id: $id, tags: $tags) {
            node { id }
            userErrors { field message }
          }
        }
        """;

    // Shop-specific subscriptions made at install (the compliance topics cannot be: they live in the app's TOML).
    // https://shopify.dev/docs/api/admin-graphql/latest/mutations/webhookSubscriptionCreate
    public const string WebhookSubscriptionCreate = $$"""
        mutation WebhookSubscriptionCreate($topic: WebhookSubscriptionTopic!, $subscription: WebhookSubscriptionInput!) {
          webhookSubscriptionCreate(topic: $topic, webhookSubscription: $subscription) {
            webhookSubscription { id topic uri }
            userErrors { field message }
          }
        }
        """;

    // What is already subscribed, so a reinstall or a retried callback creates only what is missing.
    public const string WebhookSubscriptions = """
        query WebhookSubscriptions($first: Int!) {
          webhookSubscriptions(first: $first) {
            nodes { id topic uri }
          }
        }
        """;

    public static IReadOnlyDictionary<string, string> All { get; } = new Dictionary<string, string>
    {
        [nameof(RewardProduct)] = RewardProduct,
        [nameof(RewardVariant)] = RewardVariant,
        [nameof(GiftCardCreate)] = GiftCardCreate,
        [nameof(GiftCardsByCode)] = GiftCardsByCode,
        [nameof(GiftCardById)] = GiftCardById,
        [nameof(GiftCardDeactivate)] = GiftCardDeactivate,
        [nameof(DiscountCodeBasicCreate)] = DiscountCodeBasicCreate,
        [nameof(DiscountCodeFreeShippingCreate)] = DiscountCodeFreeShippingCreate,
        [nameof(DiscountRedeemCodeBulkAdd)] = DiscountRedeemCodeBulkAdd,
        [nameof(CodeDiscountNodeByCode)] = CodeDiscountNodeByCode,
        [nameof(DiscountCodeDeactivate)] = DiscountCodeDeactivate,
        [nameof(DiscountCodeActivate)] = DiscountCodeActivate,
        [nameof(StoreCreditAccountCredit)] = StoreCreditAccountCredit,
        [nameof(StoreCreditAccountDebit)] = StoreCreditAccountDebit,
        [nameof(CustomerStoreCredit)] = CustomerStoreCredit,
        [nameof(FlowTriggerReceive)] = FlowTriggerReceive,
        [nameof(CustomerOrderCount)] = CustomerOrderCount,
        [nameof(OrdersUpdatedSince)] = OrdersUpdatedSince,
        [nameof(OrderForExtension)] = OrderForExtension,
        [nameof(MetafieldsSet)] = MetafieldsSet,
        [nameof(TagsAdd)] = TagsAdd,
        [nameof(WebhookSubscriptionCreate)] = WebhookSubscriptionCreate,
        [nameof(WebhookSubscriptions)] = WebhookSubscriptions,
    };
}
