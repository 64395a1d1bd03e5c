using System.Globalization;
using ShopifyReferral.Sandbox.GraphQL;
using ShopifyReferral.Sandbox.State;

namespace ShopifyReferral.Sandbox.Products;

/// <summary><c>product(id:)</c> and <c>productVariant(id:)</c> (scope read_products); null for one that does not exist (deleted).</summary>
internal sealed class ProductResolvers : IResolverGroup
{
    public void Register(ResolverRegistry registry)
    {
        registry.Query("product", (ctx, args) =>
        {
            ctx.Require("product", "read_products");
            return Scalars.GidId(args.Required("id").ToString(), "Product") is { } id && ctx.Shop.FindProduct(id) is { } p ? Product(p, ctx) : null;
        });
        registry.Query("productVariant", (ctx, args) =>
        {
            ctx.Require("productVariant", "read_products");
            return Scalars.GidId(args.Required("id").ToString(), "ProductVariant") is { } id && ctx.Shop.FindVariant(id) is { } f
                ? Variant(f.Variant, f.Product, ctx) : null;
        });
    }

    public static GraphObject Product(SandboxProduct p, ResolveContext ctx) => new("Product", "Node", "HasMetafields", "Publishable")
    {
        { "id", p.Gid },
        { "legacyResourceId", Scalars.UnsignedInt64(p.Id) },
        { "title", p.Title },
        { "handle", p.Title.ToLowerInvariant().Replace(' ', '-') },
        { "status", p.Status },
        { "publishedAt", p.PublishedAt },
        { "createdAt", p.PublishedAt ?? ctx.Now },
        { "updatedAt", ctx.Now },
        { "totalInventory", 100 },
        { "variants", args => Connection.Of("ProductVariantConnection", p.Variants, args,
            v => v.Id.ToString(CultureInfo.InvariantCulture), v => Variant(v, p, ctx)) },
    };

    public static GraphObject Variant(SandboxVariant v, SandboxProduct p, ResolveContext ctx) => new("ProductVariant", "Node", "HasMetafields")
    {
        { "id", v.Gid },
        { "legacyResourceId", Scalars.UnsignedInt64(v.Id) },
        { "title", v.Title },
        { "displayName", v.Title == "Default Title" ? p.Title : $"{p.Title} - {v.Title}" },
        // Money is a decimal string with no currency: the shop's.
        { "price", Scalars.Decimal(v.Price) },
        { "availableForSale", p.Status == "ACTIVE" },
        { "product", _ => Product(p, ctx) },
    };
}
