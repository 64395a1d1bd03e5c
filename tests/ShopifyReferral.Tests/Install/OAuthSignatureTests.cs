using ShopifyReferral.Install;

namespace ShopifyReferral.Tests.Install;

[Category(Infrastructure.TestProvider.NoDatabase)]
public class OAuthSignatureTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeSeconds(1337178173);

    private static List<KeyValuePair<string, string>> Query(params (string Key, string Value)[] pairs) =>
        [.. pairs.Select(p => KeyValuePair.Create(p.Key, p.Value))];

    [Test]
    public void Sign_OfficialShopifyVector_Matches()
    {
        // Shopify's example on the authorization-code-grant page (docs/shopify-facts.md#install-and-callback-signature).
        var message = OAuthSignature.Message(Query(("shop", "some-shop.myshopify.com"), ("code", "0907a61c0c8d55e99db179b68161bc00"), ("timestamp", "1337178173")));
        Assert.That(message, Is.EqualTo("code=0907a61c0c8d55e99db179b68161bc00&shop=some-shop.myshopify.com&timestamp=1337178173"));
        Assert.That(OAuthSignature.Sign(message, "hush"), Is.EqualTo("4712bf92ffc2917d15a2f5a273e39f0116667419aa4b6ac0b3baaf26fa3c4d20"));
    }

    [Test]
    public void Check_OfficialVectorWithHmac_Accepts()
    {
        var query = Query(("code", "0907a61c0c8d55e99db179b68161bc00"), ("hmac", "4712bf92ffc2917d15a2f5a273e39f0116667419aa4b6ac0b3baaf26fa3c4d20"),
            ("shop", "some-shop.myshopify.com"), ("timestamp", "1337178173"));
        Assert.That(OAuthSignature.Check(query, ["hush"], At.AddSeconds(30)), Is.Null);
        Assert.That(OAuthSignature.Check(query, ["other", "hush"], At), Is.Null, "the previous secret still counts during a rotation");
    }

    [Test]
    public void Check_TamperedStaleOrUnsigned_Refuses()
    {
        var good = "4712bf92ffc2917d15a2f5a273e39f0116667419aa4b6ac0b3baaf26fa3c4d20";
        Assert.That(OAuthSignature.Check(Query(("code", "x"), ("hmac", good), ("shop", "some-shop.myshopify.com"), ("timestamp", "1337178173")), ["hush"], At),
            Does.Contain("does not match"));
        Assert.That(OAuthSignature.Check(Query(("code", "0907a61c0c8d55e99db179b68161bc00"), ("hmac", good), ("shop", "some-shop.myshopify.com"),
            ("timestamp", "1337178173")), ["hush"], At.AddSeconds(91)), Does.Contain("timestamp"));
        Assert.That(OAuthSignature.Check(Query(("shop", "some-shop.myshopify.com")), ["hush"], At), Does.Contain("missing"));
        Assert.That(OAuthSignature.Check(Query(("hmac", "zz"), ("shop", "a.myshopify.com")), ["hush"], At), Does.Contain("not hex"));
    }

    [Test]
    public void Message_SpacesArePercent20AndHmacSignatureLeftOut()
    {
        var message = OAuthSignature.Message(Query(("shop", "a.myshopify.com"), ("note", "two words"), ("hmac", "x"), ("signature", "y")));
        Assert.That(message, Is.EqualTo("note=two%20words&shop=a.myshopify.com"));
    }
}
