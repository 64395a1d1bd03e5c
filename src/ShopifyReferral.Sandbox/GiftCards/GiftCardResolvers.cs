using System.Globalization;
using System.Text.Json.Nodes;
using ShopifyReferral.Sandbox.GraphQL;
using ShopifyReferral.Sandbox.State;

namespace ShopifyReferral.Sandbox.GiftCards;

/// <summary>
/// <c>giftCardCreate(input:)</c> and <c>giftCardDeactivate(id:)</c> (scope write_gift_cards). Codes are 8-20 letters and
/// digits, unique in the shop case-insensitively (TAKEN); without one a 16-character code is generated. The full code
/// is answered only here, in <c>giftCardCode</c>. A deactivated card stays deactivated.
/// </summary>
internal sealed class GiftCardResolvers : IResolverGroup
{
    private const string Alphabet = "abcdefghjkmnpqrstuvwxyz23456789";

    public void Register(ResolverRegistry registry)
    {
        registry.Mutation("giftCardCreate", Create);
        registry.Mutation("giftCardDeactivate", Deactivate);
    }

    private static object Create(ResolveContext ctx, FieldArgs args)
    {
        ctx.Require("giftCardCreate", "write_gift_cards");
        var input = args.Required("input") as JsonObject ?? [];
        var shop = ctx.Shop;
        var errors = new List<UserError>();
        void Fail(string code, string message, params string[] path) => errors.Add(new(["input", .. path], code, message));

        var code = input["code"]?.ToString();
        if (code is not null)
        {
            if (code.Length < 8) Fail("TOO_SHORT", "Code is too short (minimum is 8 characters)", "code");
            else if (code.Length > 20) Fail("TOO_LONG", "Code is too long (maximum is 20 characters)", "code");
            else if (!code.All(char.IsAsciiLetterOrDigit)) Fail("INVALID", "Code can only contain letters(a-z) and numbers(0-9)", "code");
        }
        var amountText = input["initialAmount"]?["amount"]?.ToString() ?? input["initialValue"]?.ToString();
        var currency = input["initialAmount"]?["currencyCode"]?.ToString() ?? shop.Currency;
        if (amountText is null) Fail("MISSING_ARGUMENT", "Initial value is required", "initialAmount");
        else if (!decimal.TryParse(amountText, NumberStyles.Float, CultureInfo.InvariantCulture, out var a) || a <= 0)
            Fail("GREATER_THAN", "Initial value must be greater than 0", "initialAmount", "amount");
        if (currency != shop.Currency && !ctx.Options.PresentmentCurrencies.Contains(currency))
            Fail("INVALID", "Currency is not supported by the shop", "initialAmount", "currencyCode");
        long? customerId = null;
        if (input["customerId"]?.ToString() is { } cg)
        {
            customerId = Scalars.GidId(cg, "Customer");
            if (customerId is null || shop.FindCustomer(customerId.Value) is null) Fail("CUSTOMER_NOT_FOUND", "Customer does not exist", "customerId");
        }
        DateOnly? expiresOn = null;
        if (input["expiresOn"]?.ToString() is { } eo)
        {
            if (!DateOnly.TryParseExact(eo, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var e))
                Fail("INVALID", "Expires on is invalid", "expiresOn");
            else if (e <= DateOnly.FromDateTime(ctx.Now.UtcDateTime)) Fail("INVALID", "Expires on must be in the future", "expiresOn");
            else expiresOn = e;
        }

        SandboxGiftCard? card = null;
        lock (shop.Gate)
        {
            if (errors.Count == 0 && code is not null && shop.FindGiftCardByCode(code) is not null) Fail("TAKEN", "Code has already been taken", "code");
            if (errors.Count == 0)
            {
                var id = shop.NewId();
                code ??= new string([.. Enumerable.Range(0, 16).Select(i => Alphabet[(int)((id * 31 + i * 7) % Alphabet.Length)])]);
                card = new SandboxGiftCard(id, code, decimal.Parse(amountText!, NumberStyles.Float, CultureInfo.InvariantCulture),
                    decimal.Parse(amountText!, NumberStyles.Float, CultureInfo.InvariantCulture), currency, customerId, expiresOn,
                    input["note"]?.ToString(), ctx.Now);
                shop.AddGiftCard(card);
            }
        }
        return new GraphObject("GiftCardCreatePayload")
        {
            { "giftCard", card is null ? null : GiftCardGraph.Card(card, ctx) },
            { "giftCardCode", card?.Code },
            { "userErrors", UserError.Graph(errors, "GiftCardUserError") },
        };
    }

    private static object Deactivate(ResolveContext ctx, FieldArgs args)
    {
        ctx.Require("giftCardDeactivate", "write_gift_cards");
        var shop = ctx.Shop;
        SandboxGiftCard? card;
        lock (shop.Gate)
        {
            card = Scalars.GidId(args.Required("id").ToString(), "GiftCard") is { } id ? shop.FindGiftCard(id) : null;
            if (card is { Enabled: true })
            {
                card = card with { DeactivatedAt = ctx.Now };
                shop.ReplaceGiftCard(card);
            }
        }
        List<UserError> errors = card is null ? [new(["id"], "GIFT_CARD_NOT_FOUND", "Gift card not found")] : [];
        return new GraphObject("GiftCardDeactivatePayload")
        {
            { "giftCard", card is null ? null : GiftCardGraph.Card(card, ctx) },
            { "userErrors", UserError.Graph(errors, "GiftCardDeactivateUserError") },
        };
    }
}
