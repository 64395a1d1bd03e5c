using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using ShopifyReferral.Install;
using ShopifyReferral.Shopify;
using ShopifyReferral.Tests.Sandbox;

namespace ShopifyReferral.Tests.Shopify;

/// <summary>A request the app's Shopify client really sent: the document and the variables, as the sandbox received them.</summary>
internal sealed record SentCall(string Operation, string Query, JsonObject Variables)
{
    public override string ToString() => $"{Operation} {Variables.ToJsonString()}";
}

/// <summary>
/// Makes every Admin API call the app has, through its real client against the sandbox store over HTTP, with the
/// variants that change the variables (each discount kind, with and without an end, customers, minimum, expiry),
/// and returns what was sent.
/// </summary>
internal static class AdminCalls
{
    private const string Shop = "schema-check.myshopify.com";

    public static async Task<IReadOnlyList<SentCall>> SendAllAsync()
    {
        await using var env = await AdminOverSandbox.StartAsync(("Shopify:AppUrl", "https://referral.example.com"));
        var admin = env.Admin;
        var now = env.Time.GetUtcNow();
        var customer = env.Store.AddCustomer(Shop, "friend@example.com", numberOfOrders: 2);
        var percentage = new CodeDiscountSpec
        {
            Title = "Referral reward PCT-10", Code = "PCT-10", StartsAt = now, EndsAt = now.AddDays(30), Kind = DiscountKind.Percentage,
            Value = 0.1m, UsageLimit = 1, AppliesOncePerCustomer = true, CustomerGids = [customer.Gid], MinimumSubtotal = 20m,
        };
        var created = await admin.CreateCodeDiscountAsync(Shop, percentage, default);
        await admin.CreateCodeDiscountAsync(Shop, percentage with { Code = "AMOUNT-5", Kind = DiscountKind.FixedAmount, Value = 5m, EndsAt = null, CustomerGids = [], MinimumSubtotal = null, UsageLimit = null }, default);
        await admin.CreateCodeDiscountAsync(Shop, percentage with { Code = "SHIP-FREE", Kind = DiscountKind.FreeShipping, Value = 0m }, default);
        await admin.AddRedeemCodesAsync(Shop, created.DiscountGid, ["FRIEND-A", "FRIEND-B"], default);
        await admin.FindDiscountByCodeAsync(Shop, "PCT-10", default);
        await admin.DeactivateDiscountAsync(Shop, created.DiscountGid, default);
        await admin.ActivateDiscountAsync(Shop, created.DiscountGid, default);
        await admin.CreditStoreAccountAsync(Shop, customer.Gid, 5m, "USD", now.AddDays(90), default);
        await admin.CreditStoreAccountAsync(Shop, customer.Gid, 2.5m, "USD", null, default);
        var credit = new StoreCreditAdmin(env.Get<ShopifyGraphQL>());
        var account = (await credit.AccountsAsync(Shop, customer.Gid, default)).Single();
        await credit.DebitAsync(Shop, account.Gid, 1m, "USD", default);
        // As the flow.trigger job sends it: the trigger's handle and the payload its event makes.
        var trigger = ShopifyReferral.Flow.FlowTriggers.All[0];
        await env.Get<ShopifyGraphQL>().ExecuteAsync(Shop, nameof(AdminDocuments.FlowTriggerReceive), AdminDocuments.FlowTriggerReceive, new JsonObject
        {
            ["handle"] = trigger.Handle,
            ["payload"] = trigger.Payload(System.Text.Json.JsonDocument.Parse("""{"referrer_customer_id":1,"referral_id":2,"order_id":3}""").RootElement),
        }, default, idempotent: false);
        await admin.GetCustomerOrderCountAsync(Shop, customer.Gid, default);
        await admin.GetOrdersUpdatedSinceAsync(Shop, now.AddDays(-1), null, default);
        await admin.GetOrderBuyerAsync(Shop, env.Store.RecordOrder(Shop, new() { CustomerId = customer.Id }).Gid, default);
        await admin.SetMetafieldsAsync(Shop,
        [
            new MetafieldInput(customer.Gid, "$app:referral", "last_reward_code", "single_line_text_field", "THANKS-ABC"),
            new MetafieldInput(customer.Gid, "$app:referral", "last_reward_issued_at", "date_time", now.ToString("O")),
        ], default);
        await admin.AddTagsAsync(Shop, customer.Gid, ["referral-rewarded"], default);
        var toy = env.Store.AddProduct(Shop, "Plush Toy", 68m);
        await admin.GetRewardProductAsync(Shop, toy.Gid, default);
        await admin.GetRewardProductAsync(Shop, toy.Variants[0].Gid, default);
        await admin.CreateCodeDiscountAsync(Shop, percentage with { Code = "FREE-TOY", Kind = DiscountKind.FreeProduct, Value = 68m, ProductGid = toy.Gid }, default);
        await admin.CreateCodeDiscountAsync(Shop, percentage with { Code = "FREE-TOY-V", Kind = DiscountKind.FreeProduct, Value = 68m, ProductGid = toy.Variants[0].Gid }, default);
        var card = await admin.CreateGiftCardAsync(Shop, new GiftCardSpec("THANKS2345ABCDEF", 50m, "USD", customer.Gid,
            DateOnly.FromDateTime(now.AddDays(365).UtcDateTime), "Referral reward. ShopifyReferral reward 1:referral"), default);
        await admin.FindGiftCardAsync(Shop, "THANKS2345ABCDEF", "ShopifyReferral reward 1:referral", default);
        await admin.GetGiftCardAsync(Shop, card.Gid, default);
        await admin.DeactivateGiftCardAsync(Shop, card.Gid, default);
        await new WebhookSubscriptions(env.Get<ShopifyGraphQL>(), env.Get<IOptions<ShopifyOptions>>()).EnsureAsync(Shop, default);

        return [.. env.Store.Shop(Shop).Requests.Where(r => r.Query is not null).Select(Sent)];
    }

    private static SentCall Sent(ShopifyReferral.Sandbox.State.SandboxRequest r) =>
        new(r.Operation ?? "", r.Query!, JsonNode.Parse(r.Variables ?? "{}")!.AsObject());
}
