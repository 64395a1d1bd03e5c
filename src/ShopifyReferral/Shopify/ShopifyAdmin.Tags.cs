using System.Text.Json.Nodes;

namespace ShopifyReferral.Shopify;

/// <summary>Customer metafields and tags: what the store's own emails and Shopify Flow read to thank a referrer.</summary>
public sealed partial class ShopifyAdmin
{
    private const int MaxMetafieldsPerCall = 25; // metafieldsSet limit (docs/shopify-facts.md#customer-tags-and-metafields)

    public async Task SetMetafieldsAsync(string shop, IReadOnlyList<MetafieldInput> metafields, CancellationToken ct)
    {
        if (metafields.Count is 0 or > MaxMetafieldsPerCall)
            throw new ArgumentOutOfRangeException(nameof(metafields), $"metafieldsSet takes 1 to {MaxMetafieldsPerCall} metafields.");
        var list = new JsonArray([.. metafields.Select(m => new JsonObject
        {
            ["ownerId"] = m.OwnerId, ["namespace"] = m.Namespace, ["key"] = m.Key, ["type"] = m.Type, ["value"] = m.Value,
        })]);
        var response = await graphQL.ExecuteAsync(shop, nameof(AdminDocuments.MetafieldsSet), AdminDocuments.MetafieldsSet,
            new JsonObject { ["metafields"] = list }, ct);
        Payload(response, "metafieldsSet", nameof(AdminDocuments.MetafieldsSet));
    }

    public async Task AddTagsAsync(string shop, string ownerGid, IReadOnlyList<string> tags, CancellationToken ct)
    {
        if (tags.Count == 0) throw new ArgumentException("At least one tag.", nameof(tags));
        var response = await graphQL.ExecuteAsync(shop, nameof(AdminDocuments.TagsAdd), AdminDocuments.TagsAdd,
            new JsonObject { ["id"] = ownerGid, ["tags"] = new JsonArray([.. tags.Select(t => JsonValue.Create(t))]) }, ct);
        Payload(response, "tagsAdd", nameof(AdminDocuments.TagsAdd));
    }
}
