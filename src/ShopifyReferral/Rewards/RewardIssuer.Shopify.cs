using System.Globalization;
using ShopifyReferral.Data;
using ShopifyReferral.Referrals;
using ShopifyReferral.Shopify;

namespace ShopifyReferral.Rewards;

/// <summary>The issuer's Shopify side: the reward code (looked up before it is created) or the store credit.</summary>
public sealed partial class RewardIssuer
{
    private async Task<Issued> CreateCodeAsync(OwedReward w, DiscountKind kind, CancellationToken ct)
    {
        if (await shopify.FindDiscountByCodeAsync(w.Shop, w.Code!, ct) is { } existing) return new(Ours(existing, w.Code!));
        // A free product is looked up first: one deleted or no longer sold fails here, in words, before any code exists.
        var product = kind == DiscountKind.FreeProduct ? await FreeProductAsync(w, ct) : null;
        var value = product?.Price ?? w.FaceValue;
        var spec = new CodeDiscountSpec
        {
            Title = $"Referral reward {w.Code} for {w.FirstName ?? "customer " + w.CustomerId}",
            Code = w.Code!,
            StartsAt = time.GetUtcNow(),
            EndsAt = w.ExpiresAt is { } e ? DateTimeOffset.FromUnixTimeMilliseconds(e) : null,
            CustomerGids = [$"gid://shopify/Customer/{w.CustomerId}"],
            Kind = kind,
            Value = RewardTypes.ShopifyValue(kind, value),
            ProductGid = product?.Gid,
            UsageLimit = 1,
            AppliesOncePerCustomer = true,
        };
        try
        {
            return new((await shopify.CreateCodeDiscountAsync(w.Shop, spec, ct)).DiscountGid, product?.Price, product?.Title);
        }
        catch (ShopifyUserErrorException ex) when (ex.UserErrors.Any(e => e.Code == "TAKEN"))
        {
            // Our own earlier attempt landed though its answer was lost (the client retried): record that one.
            var found = await shopify.FindDiscountByCodeAsync(w.Shop, w.Code!, ct);
            if (found is null) throw;
            return new(Ours(found, w.Code!), product?.Price, product?.Title);
        }
    }

    /// <summary>
    /// A discount found by our code is adopted only if we made it (our title): a merchant's own discount that
    /// happens to carry the code is not limited to the referrer, so it is never recorded as their reward.
    /// </summary>
    private static string Ours(FoundDiscount found, string code) =>
        found.Title?.StartsWith($"Referral reward {code}", StringComparison.Ordinal) == true
            ? found.DiscountGid
            : throw new PermanentRewardException($"The code {code} already belongs to another discount ({found.Title ?? found.DiscountGid}) in Shopify; it was not adopted.");

    /// <summary>
    /// Store credit has no lookup key in Shopify, so an attempt whose outcome is unknown is never repeated: the
    /// gate committed the in-flight marker before this call, and a row found with it is left for the merchant to check.
    /// </summary>
    private async Task<string> CreditAsync(OwedReward w, CancellationToken ct)
    {
        var result = await shopify.CreditStoreAccountAsync(w.Shop, $"gid://shopify/Customer/{w.CustomerId}",
            w.FaceValue, w.Currency!, null, ct);
        return result.TransactionId;
    }

    /// <summary>What Shopify made: its gid, and for a free product the price taken off and the product's live title.</summary>
    private sealed record Issued(string Gid, decimal? Price = null, string? Title = null);

    private sealed record OwedReward
    {
        public long Id { get; init; }
        public string Shop { get; init; } = "";
        public string IdempotencyKey { get; init; } = "";
        public long? ReferralId { get; init; }
        public string Kind { get; init; } = "";
        public string RewardType { get; init; } = "";
        public string? Value { get; init; }
        public long? AmountMinor { get; init; }
        public string? Currency { get; init; }
        public string? Code { get; init; }
        public long? ExpiresAt { get; init; }
        public int Attempts { get; init; }

        /// <summary>The amount of a money reward, else the percentage (free shipping has neither).</summary>
        public decimal FaceValue => AmountMinor is { } m ? Money.FromMinor(m, Currency)
            : decimal.TryParse(Value, NumberStyles.Number, CultureInfo.InvariantCulture, out var v) ? v : 0m;
        public string? ProductGid { get; init; }
        public string? ProductTitle { get; init; }
        public long CustomerId { get; init; }
        public string? FirstName { get; init; }
    }
}
