using System.Text.Json.Nodes;
using ShopifyReferral.Shopify;

namespace ShopifyReferral.Tests.Shopify;

/// <summary>
/// Every Admin GraphQL document the app sends, and the variables each call really sends, validated with GraphQL.NET
/// against Shopify's schema of the version the app calls (Shopify/Schema/shopify-admin-{ApiVersion}.graphql).
/// </summary>
public class AdminSchemaTests
{
    private static readonly Lazy<Task<IReadOnlyList<SentCall>>> Sent = new(AdminCalls.SendAllAsync);

    [Test]
    public void Schema_IsOfTheVersionTheAppCalls()
    {
        Assert.That(File.Exists(AdminSchema.File), Is.True, $"The app calls Admin API {AdminSchema.Version}: vendor Shopify's schema at {AdminSchema.File}.");
        Assert.That(AdminSchema.Version, Is.EqualTo(new ShopifyOptions().ApiVersion), "appsettings.json must not pin another version than ShopifyOptions");
    }

    [TestCaseSource(nameof(Documents))]
    public async Task Document_AgainstAdminSchema_IsValid(string name, string document)
    {
        var (errors, deprecated) = await AdminSchema.ValidateAsync(document, variables: null);
        // Deprecated fields still work: they warn, to be moved off before the version that removes them.
        foreach (var warning in deprecated) TestContext.Out.WriteLine($"warn {name}: {warning}");
        Assert.That(errors.Where(e => !e.Contains("No value provided for a non-null variable")), Is.Empty, name);
    }

    private static IEnumerable<TestCaseData> Documents() =>
        AdminDocuments.All.Select(d => new TestCaseData(d.Key, d.Value).SetArgDisplayNames(d.Key));

    [Test]
    public async Task Validator_MadeUpField_ReportsIt()
    {
        var (errors, _) = await AdminSchema.ValidateAsync("query MadeUp($id: ID!) { customer(id: $id) { referralKarmaPoints } }", new JsonObject { ["id"] = "gid://shopify/Customer/1" });
        Assert.That(errors, Has.Some.Contains("referralKarmaPoints"));
    }

    [Test]
    public async Task Validator_DeprecatedField_WarnsWithoutFailing()
    {
        var (errors, deprecated) = await AdminSchema.ValidateAsync("query Old($id: ID!) { customer(id: $id) { email } }", new JsonObject { ["id"] = "gid://shopify/Customer/1" });
        Assert.That(errors, Is.Empty);
        Assert.That(deprecated, Has.Some.StartsWith("email is deprecated"));
    }

    [Test]
    public void All_Names_MatchOperationNames()
    {
        // The pacer learns cost per name, and Shopify's logs show the operation name: keep them the same.
        foreach (var (name, document) in AdminDocuments.All)
            Assert.That(document, Does.Match($@"^(query|mutation) {name}\b"), name);
    }

    [Test]
    public async Task Calls_EveryDocumentIsSent()
    {
        Assert.That((await Sent.Value).Select(c => c.Operation).Distinct(), Is.SupersetOf(AdminDocuments.All.Keys));
    }

    [Test]
    public async Task Calls_VariablesTheClientSends_MatchTheOperationsVariableTypes()
    {
        var refused = new List<string>();
        foreach (var call in await Sent.Value)
        {
            var (errors, _) = await AdminSchema.ValidateAsync(call.Query, call.Variables);
            refused.AddRange(errors.Select(e => $"{call}: {e}"));
        }
        Assert.That(refused, Is.Empty);
    }

    [TestCase("discount.title", "titel")]
    [TestCase("discount.customerGets.value.percentage", "percentag")]
    [TestCase("discount.combinesWith.orderDiscounts", "orderDiscount")]
    public async Task Variables_MisspeltInputField_AreRefused(string path, string misspelt)
    {
        var call = (await Sent.Value).First(c => c.Operation == nameof(AdminDocuments.DiscountCodeBasicCreate) && c.Variables.ToJsonString().Contains("percentage"));
        var variables = call.Variables.DeepClone().AsObject();
        var parts = path.Split('.');
        var parent = parts[..^1].Aggregate((JsonNode)variables, (node, key) => node[key]!).AsObject();
        var value = parent[parts[^1]]!.DeepClone();
        parent.Remove(parts[^1]);
        parent[misspelt] = value;

        var (errors, _) = await AdminSchema.ValidateAsync(call.Query, variables);

        Assert.That(errors, Has.Some.Contains($"'{misspelt}'"));
    }
}
