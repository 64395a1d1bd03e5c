using System.Text;
using ShopifyReferral.Events;

namespace ShopifyReferral.Tests.Events;

/// <summary>The app's signer against a signature worked out elsewhere (the README's example, computed with Python's hmac).</summary>
[Category(Infrastructure.TestProvider.NoDatabase)]
public class EventSignatureTests
{
    private const string Secret = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    private const string Id = "evt_0193f1c2a9b07d3e8c1f2a4b5c6d7e8f";
    private const string Body = """{"id":"evt_0193f1c2a9b07d3e8c1f2a4b5c6d7e8f","type":"referral.approved","occurred_at":"2026-12-06T12:00:00.000Z","shop":"demo-shop.myshopify.com","data":{"referral_id":12,"order_id":820982911946154508,"referrer_id":3,"referrer_customer_id":115310627,"customer_id":207119551}}""";

    [Test]
    public void Sign_ReadmeExample_MatchesTheSignatureComputedElsewhere()
    {
        Assert.That(EventSignature.Sign(Secret, Id, 1795003200, Encoding.UTF8.GetBytes(Body)), Is.EqualTo("v1,wcjOypSlpDGtybfDUnH4AM3p9HcMa7tQc5HP5nVGl6M="));
        Assert.That(EventReceiver.Verify(Secret, Id, 1795003201, Encoding.UTF8.GetBytes(Body), "v1,wcjOypSlpDGtybfDUnH4AM3p9HcMa7tQc5HP5nVGl6M="), Is.False, "another timestamp");
    }

    [Test]
    public void NewSecret_Is32RandomBytes_EachTimeAnother()
    {
        var a = EventSignature.NewSecret();
        Assert.That(Convert.FromBase64String(a["whsec_".Length..]), Has.Length.EqualTo(32));
        Assert.That(EventSignature.NewSecret(), Is.Not.EqualTo(a));
    }
}
