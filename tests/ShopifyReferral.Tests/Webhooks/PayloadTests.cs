using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using ShopifyReferral.Referrals;
using ShopifyReferral.Replay;
using ShopifyReferral.Shopify;
using ShopifyReferral.Tests.Infrastructure;
using ShopifyReferral.Webhooks;
using static ShopifyReferral.Tests.Webhooks.Payloads;

namespace ShopifyReferral.Tests.Webhooks;

/// <summary>The files in webhooks/: valid JSON in Shopify's REST shapes, consistent ids, amounts that add up.</summary>
[Category(Infrastructure.TestProvider.NoDatabase)]
public class PayloadTests
{
    private static readonly string[] Catalog =
    [
        "app/uninstalled/default.json", "customers/data_request/default.json", "customers/redact/default.json",
        "orders/cancelled/with-code.json", "orders/create/with-code.json", "orders/paid/guest-checkout.json",
        "orders/paid/other-code.json", "orders/paid/self-referral.json", "orders/paid/test-order.json",
        "orders/paid/with-code.json", "orders/paid/without-code.json", "orders/updated/with-code.json",
        "refunds/create/full.json", "refunds/create/partial.json", "shop/redact/default.json",
    ];

    [Test]
    public void Files_AreTheCatalog_AndEachIsInTheReadme()
    {
        Assert.That(Files(), Is.EqualTo(Catalog));
        var readme = File.ReadAllText(Repo.Path("webhooks", "README.md"));
        Assert.That(Catalog.Where(f => !readme.Contains(f, StringComparison.Ordinal)), Is.Empty, "files missing from webhooks/README.md");
    }

    [TestCaseSource(typeof(Payloads), nameof(Orders))]
    public void Order_HasTheFieldsTheAppReads(string file)
    {
        var o = Json(file);
        var id = o.GetProperty("id").GetInt64();
        Assert.Multiple(() =>
        {
            Assert.That(o.GetProperty("admin_graphql_api_id").GetString(), Is.EqualTo($"gid://shopify/Order/{id}"));
            Assert.That(o.GetProperty("name").GetString(), Does.Match(@"^#\d+$"));
            Assert.That(o.GetProperty("email").GetString(), Does.Contain("@"));
            Assert.That(Time(o, "updated_at"), Is.GreaterThanOrEqualTo(Time(o, "created_at")));
            Assert.That(Time(o, "processed_at"), Is.LessThanOrEqualTo(Time(o, "updated_at")));
            Assert.That(o.GetProperty("financial_status").GetString(), Is.AnyOf("pending", "authorized", "paid", "partially_refunded", "refunded"));
            Assert.That(o.GetProperty("test").ValueKind, Is.AnyOf(JsonValueKind.True, JsonValueKind.False));
            Assert.That(o.GetProperty("currency").GetString(), Is.EqualTo("USD"));
            Assert.That(o.GetProperty("presentment_currency").GetString(), Is.EqualTo("USD"));
            Assert.That(o.GetProperty("customer").ValueKind, Is.AnyOf(JsonValueKind.Object, JsonValueKind.Null));
            Assert.That(o.GetProperty("cancelled_at").ValueKind, Is.AnyOf(JsonValueKind.String, JsonValueKind.Null));
            Assert.That(o.TryGetProperty("checkout_id", out _), Is.False, "checkout_id left order webhooks in 2026-04");
            foreach (var code in Items(o, "discount_codes"))
            {
                Assert.That(code.GetProperty("code").GetString(), Is.Not.Empty);
                Assert.That(code.GetProperty("type").GetString(), Is.AnyOf("fixed_amount", "percentage", "shipping"));
                Assert.That(Money(code, "amount"), Is.GreaterThan(0m));
            }
        });
    }

    [TestCaseSource(typeof(Payloads), nameof(Orders))]
    public void Order_AmountsAddUp(string file)
    {
        var o = Json(file);
        var lines = Items(o, "line_items").ToList();
        var shipping = Items(o, "shipping_lines").Sum(s => Money(s, "price"));
        Assert.Multiple(() =>
        {
            Assert.That(lines.Sum(l => Money(l, "price") * l.GetProperty("quantity").GetInt32()), Is.EqualTo(Money(o, "total_line_items_price")));
            // Shopify's subtotal_price is after discounts and before shipping and tax.
            Assert.That(Money(o, "total_line_items_price") - Money(o, "total_discounts"), Is.EqualTo(Money(o, "subtotal_price")));
            Assert.That(Money(o, "subtotal_price") + shipping + Money(o, "total_tax"), Is.EqualTo(Money(o, "total_price")));
            Assert.That(Items(o, "discount_codes").Sum(d => Money(d, "amount")), Is.EqualTo(Money(o, "total_discounts")));
            Assert.That(lines.SelectMany(l => Items(l, "discount_allocations")).Sum(a => Money(a, "amount")), Is.EqualTo(Money(o, "total_discounts")));
            Assert.That(lines.SelectMany(l => Items(l, "tax_lines")).Sum(t => Money(t, "price")), Is.EqualTo(Money(o, "total_tax")));
            Assert.That(o.GetProperty("total_price_set").GetProperty("shop_money").GetProperty("amount").GetString(), Is.EqualTo(o.GetProperty("total_price").GetString()));
        });
    }

    [TestCaseSource(typeof(Payloads), nameof(Refunds))]
    public void Refund_TransactionsEqualRefundedLinesAndShipping(string file)
    {
        var r = Json(file);
        var order = Json("orders/paid/with-code.json");
        var lines = Items(r, "refund_line_items").Sum(l => Money(l, "subtotal") + Money(l, "total_tax"));
        var adjustments = Items(r, "order_adjustments").Sum(a => Money(a, "amount")); // shipping refunds are negative
        var orderLineIds = Items(order, "line_items").Select(l => l.GetProperty("id").GetInt64()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(r.GetProperty("order_id").GetInt64(), Is.EqualTo(WithCodeOrderId));
            Assert.That(r.GetProperty("admin_graphql_api_id").GetString(), Is.EqualTo($"gid://shopify/Refund/{r.GetProperty("id").GetInt64()}"));
            Assert.That(Time(r, "created_at"), Is.GreaterThan(Time(order, "created_at")));
            Assert.That(Items(r, "refund_line_items").Select(l => l.GetProperty("line_item_id").GetInt64()), Is.SubsetOf(orderLineIds));
            Assert.That(Items(r, "transactions").Select(t => (t.GetProperty("kind").GetString(), t.GetProperty("status").GetString())),
                Is.All.EqualTo(("refund", "success")));
            Assert.That(OrderRecorder.RefundAmount(r), Is.EqualTo(lines - adjustments));
            Assert.That(OrderRecorder.RefundAmount(r), Is.LessThanOrEqualTo(Money(order, "total_price")));
        });
    }

    [Test]
    public void Refunds_FullRefundsTheWholeOrder_PartialOnePairOfSocks()
    {
        var total = Money(Json("orders/paid/with-code.json"), "total_price");
        Assert.That(OrderRecorder.RefundAmount(Json("refunds/create/full.json")), Is.EqualTo(total));
        Assert.That(OrderRecorder.RefundAmount(Json("refunds/create/partial.json")), Is.EqualTo(17.32m));
        var cancelled = Json("orders/cancelled/with-code.json");
        Assert.That(Items(cancelled, "refunds").Single().GetProperty("id").GetInt64(), Is.EqualTo(Json("refunds/create/full.json").GetProperty("id").GetInt64()));
    }

    [Test]
    public void WithCode_OneOrderAcrossTopics_UpdatedAtGrows()
    {
        string[] lifecycle = ["orders/create", "orders/paid", "orders/updated", "orders/cancelled"];
        var orders = lifecycle.Select(t => Json($"{t}/with-code.json")).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(orders.Select(o => o.GetProperty("id").GetInt64()), Is.All.EqualTo(WithCodeOrderId));
            Assert.That(orders.Select(o => Time(o, "updated_at")), Is.Ordered.Ascending.And.Unique);
            Assert.That(orders.Select(o => Time(o, "created_at")).Distinct().Count(), Is.EqualTo(1));
            Assert.That(orders.Select(o => o.GetProperty("discount_codes")[0].GetProperty("code").GetString()), Is.All.EqualTo("SAMREF-7Q2K"));
            Assert.That(orders.Select(o => o.GetProperty("customer").GetProperty("id").GetInt64()), Is.All.EqualTo(207119551));
            Assert.That(orders.Select(o => o.GetProperty("email").GetString()), Is.All.EqualTo("friend@example.com"));
            Assert.That(orders.Take(3).Select(o => o.GetProperty("cancelled_at").ValueKind), Is.All.EqualTo(JsonValueKind.Null));
            Assert.That(orders[3].GetProperty("cancel_reason").GetString(), Is.EqualTo("customer"));
            Assert.That(Time(orders[3], "cancelled_at"), Is.LessThanOrEqualTo(Time(orders[3], "updated_at")));
        });
    }

    [Test]
    public void Cases_CarryWhatTheirNamesSay()
    {
        var guest = Json("orders/paid/guest-checkout.json");
        var self = Json("orders/paid/self-referral.json");
        var jane = self.GetProperty("customer");
        Assert.Multiple(() =>
        {
            Assert.That(Items(Json("orders/paid/without-code.json"), "discount_codes"), Is.Empty);
            Assert.That(guest.GetProperty("customer").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(guest.GetProperty("email").GetString(), Does.Contain("@"));
            Assert.That(Json("orders/paid/test-order.json").GetProperty("test").GetBoolean(), Is.True);
            Assert.That(Items(Json("orders/paid/with-code.json"), "discount_codes").Single().GetProperty("code").GetString(), Is.EqualTo("SAMREF-7Q2K"));
            Assert.That(Items(Json("orders/paid/other-code.json"), "discount_codes").Single().GetProperty("code").GetString(), Is.EqualTo("BFCM20"));
            Assert.That(jane.GetProperty("id").GetInt64(), Is.EqualTo(115310627));
            Assert.That(jane.GetProperty("email").GetString(), Is.EqualTo("jane.doe@example.com"));
            Assert.That(self.GetProperty("email").GetString(), Is.EqualTo("Jane.Doe+shop@example.com"));
            Assert.That(Items(self, "discount_codes").Single().GetProperty("code").GetString(), Is.EqualTo("SAMREF-7Q2K"));
            foreach (var field in new[] { "address1", "address2", "city", "zip", "country_code" })
                Assert.That(self.GetProperty("shipping_address").GetProperty(field).GetString(), Is.EqualTo(jane.GetProperty("default_address").GetProperty(field).GetString()), field);
        });
    }

    [Test]
    public void Compliance_AndUninstall_NameTheSameShopAndFriend()
    {
        var shop = Json("app/uninstalled/default.json");
        var shopId = shop.GetProperty("id").GetInt64();
        Assert.That(shop.GetProperty("myshopify_domain").GetString(), Is.EqualTo(Shop));
        foreach (var file in new[] { "customers/data_request/default.json", "customers/redact/default.json", "shop/redact/default.json" })
        {
            var p = Json(file);
            Assert.That((p.GetProperty("shop_id").GetInt64(), p.GetProperty("shop_domain").GetString()), Is.EqualTo((shopId, Shop)), file);
        }
        var redact = Json("customers/redact/default.json");
        Assert.That(redact.GetProperty("customer").GetProperty("id").GetInt64(), Is.EqualTo(207119551));
        Assert.That(Items(redact, "orders_to_redact").Select(e => e.GetInt64()), Is.EqualTo(new[] { WithCodeOrderId }));
        Assert.That(Json("customers/data_request/default.json").GetProperty("data_request").GetProperty("id").GetInt64(), Is.Positive);
    }

    [Test]
    public void Signer_KnownVector_MatchesShopifyFacts()
    {
        // docs/shopify-facts.md#webhook-signatures (computed by us, not an official Shopify vector).
        var body = Encoding.UTF8.GetBytes("""{"id":820982911946154508,"email":"jon@example.com"}""");
        Assert.That(WebhookSigner.Sign("hush", body), Is.EqualTo("D0UMXmhjwBRi4y66TmhJrDlhQABD7zI2fm3p6/QLMo8="));
    }

    [TestCaseSource(typeof(Payloads), nameof(Files))]
    public void Signer_EveryPayload_PassesTheAppsVerifier_AndOnlyWithItsSecret(string file)
    {
        var verifier = new WebhookSignature(Options.Create(new ShopifyOptions { ClientSecret = "sandbox-client-secret" }));
        var body = Bytes(file);
        Assert.That(verifier.IsValid(body, WebhookSigner.Sign("sandbox-client-secret", body)), Is.True);
        Assert.That(verifier.IsValid(body, WebhookSigner.Sign("other-secret", body)), Is.False);
        Assert.That(verifier.IsValid(body.Append((byte)' ').ToArray(), WebhookSigner.Sign("sandbox-client-secret", body)), Is.False);
    }
}
