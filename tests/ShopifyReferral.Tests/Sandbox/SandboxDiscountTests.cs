using System.Text.Json.Nodes;
using ShopifyReferral.Sandbox;
using ShopifyReferral.Shopify;
using static ShopifyReferral.Tests.Sandbox.SandboxHttp;

namespace ShopifyReferral.Tests.Sandbox;

/// <summary>Discount resolvers over raw GraphQL: validation userErrors and the queued shape of bulk code adds.</summary>
public class SandboxDiscountTests : SandboxTestBase
{
    private async Task<JsonObject> Send(string query, JsonObject? variables = null) =>
        (await GraphQL(_http, _store, ShopA, _store.IssueAccessToken(ShopA), query, variables)).Body;

    private async Task<string> CreateBase(string code)
    {
        var body = await Send(AdminDocuments.DiscountCodeBasicCreate, SandboxThrottleTests.DiscountVariables(code));
        return (string)body["data"]!["discountCodeBasicCreate"]!["codeDiscountNode"]!["id"]!;
    }

    [Test]
    public async Task Create_PercentageAsWholeNumber_ValueOutsideRangeAndNothingCreated()
    {
        var variables = SandboxThrottleTests.DiscountVariables("TEN");
        variables["discount"]!["customerGets"]!["value"]!["percentage"] = 10;

        var payload = (await Send(AdminDocuments.DiscountCodeBasicCreate, variables))["data"]!["discountCodeBasicCreate"]!;

        Assert.That(payload["codeDiscountNode"], Is.Null);
        var error = payload["userErrors"]![0]!;
        Assert.That((string?)error["code"], Is.EqualTo("VALUE_OUTSIDE_RANGE"));
        Assert.That(error["field"]!.AsArray().Select(f => (string?)f),
            Is.EqualTo(new[] { "basicCodeDiscount", "customerGets", "value", "percentage" }));
        Assert.That(_store.Discounts(ShopA), Is.Empty);
    }

    [Test]
    public async Task Create_BlankCode_BlankUserError()
    {
        var payload = (await Send(AdminDocuments.DiscountCodeBasicCreate, SandboxThrottleTests.DiscountVariables(" ")))
            ["data"]!["discountCodeBasicCreate"]!;

        Assert.That(payload["userErrors"]!.AsArray().Select(e => (string?)e!["code"]), Does.Contain("BLANK"));
    }

    [Test]
    public async Task BulkAdd_AnswersQueued_PollShowsDoneWithFailedDuplicates()
    {
        var id = await CreateBase("BASE");
        var codes = new JsonArray(new JsonObject { ["code"] = "R1" }, new JsonObject { ["code"] = "base" }, new JsonObject { ["code"] = "r1" });

        var payload = (await Send(AdminDocuments.DiscountRedeemCodeBulkAdd, new JsonObject { ["discountId"] = id, ["codes"] = codes }))
            ["data"]!["discountRedeemCodeBulkAdd"]!;
        var creationId = (string)payload["bulkCreation"]!["id"]!;
        var poll = (await Send("query($id: ID!) { discountRedeemCodeBulkCreation(id: $id) { done codesCount importedCount failedCount } }",
            new JsonObject { ["id"] = creationId }))["data"]!["discountRedeemCodeBulkCreation"]!;

        Assert.That(payload["userErrors"]!.AsArray(), Is.Empty);
        Assert.That((bool?)poll["done"], Is.True);
        Assert.That(((int?)poll["codesCount"], (int?)poll["importedCount"], (int?)poll["failedCount"]), Is.EqualTo((3, 1, 2)));
        Assert.That(_store.Discounts(ShopA).Single().Codes, Is.EqualTo(new[] { "BASE", "R1" }));
    }

    [Test]
    public async Task BulkAdd_MutationAnswer_IsNotDoneYet()
    {
        var id = await CreateBase("BASE");

        var creation = (await Send("mutation($d: ID!) { discountRedeemCodeBulkAdd(discountId: $d, codes: [{code: \"X1\"}]) { bulkCreation { done importedCount } } }",
            new JsonObject { ["d"] = id }))["data"]!["discountRedeemCodeBulkAdd"]!["bulkCreation"]!;

        Assert.That(((bool?)creation["done"], (int?)creation["importedCount"]), Is.EqualTo((false, 0)));
    }

    [Test]
    public async Task Deactivate_UnknownId_UserErrorNoNode()
    {
        var payload = (await Send(AdminDocuments.DiscountCodeDeactivate, new JsonObject { ["id"] = "gid://shopify/DiscountCodeNode/1" }))
            ["data"]!["discountCodeDeactivate"]!;

        Assert.That(payload["codeDiscountNode"], Is.Null);
        Assert.That((string?)payload["userErrors"]![0]!["code"], Is.EqualTo("INVALID"));
    }

    [Test]
    public async Task Create_MisspeltInputField_RefusedAsShopifyRefusesItAndNothingCreated()
    {
        var variables = SandboxThrottleTests.DiscountVariables("TYPO");
        var discount = variables["discount"]!.AsObject();
        discount["titel"] = discount["title"]!.DeepClone();
        discount.Remove("title");
        discount["customerGets"]!["items"]!.AsObject()["al"] = true;

        var body = await Send(AdminDocuments.DiscountCodeBasicCreate, variables);

        Assert.That(body["data"], Is.Null);
        Assert.That((string?)body["errors"]![0]!["message"], Is.EqualTo(
            "Variable $discount of type DiscountCodeBasicInput! was provided invalid value for customerGets.items.al (Field is not defined " +
            "on DiscountItemsInput), titel (Field is not defined on DiscountCodeBasicInput)"));
        var problems = body["errors"]![0]!["extensions"]!["problems"]!.AsArray();
        Assert.That(problems.Select(p => p!["path"]!.ToJsonString()), Is.EqualTo(new[] { """["customerGets","items","al"]""", """["titel"]""" }));
        Assert.That(_store.Discounts(ShopA), Is.Empty);
    }

    [Test]
    public async Task Create_RequiredVariableMissing_Refused()
    {
        var body = await Send(AdminDocuments.DiscountCodeBasicCreate, new JsonObject());

        Assert.That((string?)body["errors"]![0]!["message"], Is.EqualTo("Variable $discount of type DiscountCodeBasicInput! was provided invalid value"));
        Assert.That((string?)body["errors"]![0]!["extensions"]!["problems"]![0]!["explanation"], Is.EqualTo("Expected value to not be null"));
    }

    [Test]
    public async Task Activate_UnknownId_UserErrorNoNode()
    {
        var payload = (await Send(AdminDocuments.DiscountCodeActivate, new JsonObject { ["id"] = "gid://shopify/DiscountCodeNode/1" }))
            ["data"]!["discountCodeActivate"]!;

        Assert.That(payload["codeDiscountNode"], Is.Null);
        Assert.That((string?)payload["userErrors"]![0]!["code"], Is.EqualTo("INVALID"));
    }

    [Test]
    public async Task Checkout_DeactivatedCode_RefusedAndNothingRecorded_ActivatedAgain_Taken()
    {
        var gid = await CreateBase("FRIEND-5");
        await Send(AdminDocuments.DiscountCodeDeactivate, new JsonObject { ["id"] = gid });
        var order = new SandboxOrder { CustomerId = 42, DiscountCode = "friend-5" };

        var refused = Assert.Throws<CheckoutRefusedException>(() => _store.RecordOrder(ShopA, order));
        Assert.That(refused!.Message, Does.Contain("FRIEND-5").IgnoreCase.And.Contain("expired"));
        Assert.That((_store.Orders(ShopA).Count, _store.Shop(ShopA).FindCustomer(42)), Is.EqualTo((0, (ShopifyReferral.Sandbox.State.SandboxCustomer?)null)));

        await Send(AdminDocuments.DiscountCodeActivate, new JsonObject { ["id"] = gid });
        Assert.That(_store.RecordOrder(ShopA, order).DiscountAmount, Is.GreaterThan(0m));
        Assert.That(_store.Discounts(ShopA).Single().UsageCount, Is.EqualTo(1));
    }
}
