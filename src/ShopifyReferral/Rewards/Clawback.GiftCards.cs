using System.Globalization;

namespace ShopifyReferral.Rewards;

/// <summary>Clawing back a gift card: an unused one is deactivated; what was spent of it is a loss.</summary>
public sealed partial class Clawback
{
    private async Task GiftCardBackAsync(long id, string shop, string? gid, string status, CancellationToken ct)
    {
        var card = gid is null ? null : await shopify.GetGiftCardAsync(shop, gid, ct);
        if (card is null)
        {
            await SetAsync(id, status, "lost", "The order was refunded, but the reward's gift card was not found in Shopify to deactivate.", ct);
            return;
        }
        if (!card.Enabled)
        {
            await SetAsync(id, status, "clawed_back", "The order was refunded; the reward's gift card had already been deactivated.", ct);
            return;
        }
        if (card.Balance <= 0)
        {
            await SetAsync(id, status, "lost", $"The order was refunded after the gift card's {Amount(card.InitialValue, card.Currency)} was spent.", ct);
            return;
        }
        // Deactivating stops what is left; a card partly spent is still a loss of the part spent.
        await shopify.DeactivateGiftCardAsync(shop, card.Gid, ct);
        var spent = card.InitialValue - card.Balance;
        if (spent > 0)
            await SetAsync(id, status, "lost", $"The order was refunded; the gift card was deactivated with {Amount(card.Balance, card.Currency)} left, " +
                                               $"after {Amount(spent, card.Currency)} of it was spent.", ct);
        else
            await SetAsync(id, status, "clawed_back", "The order was refunded; the unused gift card was deactivated.", ct);
    }

    private static string Amount(decimal value, string currency) => value.ToString("0.00", CultureInfo.InvariantCulture) + " " + currency;
}
