using Microsoft.AspNetCore.WebUtilities;
using ShopifyReferral.Storefront;

namespace ShopifyReferral.Tests.Storefront;

/// <summary>Shopify's published vectors (docs/shopify-facts.md#app-proxy-signature) and each way a signature is refused.</summary>
[Category(Infrastructure.TestProvider.NoDatabase)]
public class AppProxySignatureTests
{
    private const string Secret = "hush";
    private const string Base = "extra=1&extra=2&shop=shop-name.myshopify.com&path_prefix=%2Fapps%2Fawesome_reviews&timestamp=1317327555";
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeSeconds(1317327555);

    [TestCase("&logged_in_customer_id=1", "4c68c8624d737112c91818c11017d24d334b524cb5c2b8ba08daa056f7395ddb", 1L)]
    [TestCase("&logged_in_customer_id=", "e072b6d7e6622d85912a5214b860d3100dc1e73d9bc29f43796ac8c9ff8093cb", null)]
    [TestCase("", "a9718877bea71c2484f91608a7eaea1532bdf71f5c56825065fa4ccabe549ef3", null)]
    public void OfficialVectors_Verify(string customer, string signature, long? customerId)
    {
        var request = AppProxySignature.Verify($"?{Base}{customer}&signature={signature}", [Secret], At, out var why);
        Assert.That(why, Is.Empty);
        Assert.That(request, Is.EqualTo(new ProxyRequest("shop-name.myshopify.com", customerId, "/apps/awesome_reviews")));
        Assert.That(AppProxySignature.Sign(Base + customer, Secret), Is.EqualTo(signature));
    }

    [Test]
    public void Message_IsSortedPairsWithoutSeparatorAndRepeatedValuesJoined() =>
        Assert.That(AppProxySignature.Message(QueryHelpers.ParseQuery(Base + "&logged_in_customer_id=1")), Is.EqualTo(
            "extra=1,2logged_in_customer_id=1path_prefix=/apps/awesome_reviewsshop=shop-name.myshopify.comtimestamp=1317327555"));

    [Test]
    public void TamperedCustomerId_Refused()
    {
        var query = $"?{Base}&logged_in_customer_id=2&signature=4c68c8624d737112c91818c11017d24d334b524cb5c2b8ba08daa056f7395ddb";
        Assert.That(AppProxySignature.Verify(query, [Secret], At, out var why), Is.Null);
        Assert.That(why, Is.EqualTo("bad signature"));
    }

    [Test]
    public void WrongSecret_Refused() =>
        Assert.That(AppProxySignature.Verify($"?{Base}&logged_in_customer_id=1&signature=4c68c8624d737112c91818c11017d24d334b524cb5c2b8ba08daa056f7395ddb",
            ["not-hush"], At, out _), Is.Null);

    [Test]
    public void PreviousSecretDuringRotation_Accepted() =>
        Assert.That(AppProxySignature.Verify($"?{Base}&logged_in_customer_id=1&signature=4c68c8624d737112c91818c11017d24d334b524cb5c2b8ba08daa056f7395ddb",
            ["new-secret", Secret], At, out _), Is.Not.Null);

    [TestCase(89, true)]
    [TestCase(-89, true)]
    [TestCase(91, false)]
    [TestCase(-91, false)]
    public void Timestamp_MustBeWithin90Seconds(int skewSeconds, bool accepted)
    {
        var query = $"?{Base}&logged_in_customer_id=1&signature=4c68c8624d737112c91818c11017d24d334b524cb5c2b8ba08daa056f7395ddb";
        var request = AppProxySignature.Verify(query, [Secret], At.AddSeconds(skewSeconds), out var why);
        Assert.That(request is not null, Is.EqualTo(accepted), why);
        if (!accepted) Assert.That(why, Is.EqualTo("stale timestamp"));
    }

    [TestCase("shop", "shop-name.myshopify.com")]
    [TestCase("timestamp", "1317327555")]
    [TestCase("signature", "4c68c8624d737112c91818c11017d24d334b524cb5c2b8ba08daa056f7395ddb")]
    public void RepeatedSingleValueParam_Refused(string key, string value)
    {
        var query = $"?{Base}&logged_in_customer_id=1&signature=4c68c8624d737112c91818c11017d24d334b524cb5c2b8ba08daa056f7395ddb&{key}={value}";
        Assert.That(AppProxySignature.Verify(query, [Secret], At, out var why), Is.Null);
        Assert.That(why, Does.Contain($"'{key}' appears more than once"));
    }

    [TestCase("")]
    [TestCase("&signature=")]
    [TestCase("&signature=zz68c8624d737112c91818c11017d24d334b524cb5c2b8ba08daa056f7395ddb")]
    public void MissingOrMalformedSignature_Refused(string signature) =>
        Assert.That(AppProxySignature.Verify($"?{Base}&logged_in_customer_id=1{signature}", [Secret], At, out _), Is.Null);

    [Test]
    public void SignedButShopNotMyshopify_Refused()
    {
        var query = "logged_in_customer_id=1&path_prefix=%2Fa&shop=evil.example.com&timestamp=1317327555";
        Assert.That(AppProxySignature.Verify($"?{query}&signature={AppProxySignature.Sign(query, Secret)}", [Secret], At, out var why), Is.Null);
        Assert.That(why, Does.Contain("myshopify"));
    }
}
