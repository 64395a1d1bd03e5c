using ShopifyReferral.Referrals;

namespace ShopifyReferral.Tests.Referrals;

/// <summary>The channel read from an order's landing_site: the ref_ch the tracked link's redirect adds, or 'code' without one.</summary>
[Category(Infrastructure.TestProvider.NoDatabase)]
public class LandingChannelTests
{
    [TestCase("/discount/SAMREF-7Q2K?redirect=%2F&ref_ch=email", "email", Description = "what /r/{code}?ch=email redirects to")]
    [TestCase("/discount/SAMREF-7Q2K?redirect=/&ref_ch=whatsapp", "whatsapp")]
    [TestCase("https://demo-shop.myshopify.com/discount/SAMREF-7Q2K?ref_ch=SMS&redirect=%2F", "sms", Description = "absolute, upper case, first")]
    [TestCase("/discount/SAMREF-7Q2K?redirect=%2F&ref_ch=direct", "direct", Description = "a tracked link without ?ch=")]
    [TestCase("/discount/SAMREF-7Q2K?redirect=%2F&ref_ch=copy#top", "copy", Description = "fragment ignored")]
    [TestCase("/discount/SAMREF-7Q2K?redirect=%2F&ref_ch=tiktok", "other", Description = "a channel this version does not know")]
    [TestCase("/discount/SAMREF-7Q2K?redirect=%2F&ref_ch=", "other", Description = "present but empty")]
    [TestCase("/discount/SAMREF-7Q2K?ref_ch=%ZZ%", "other", Description = "a malformed escape")]
    [TestCase("/discount/SAMREF-7Q2K?ref_ch=%3Cscript%3E", "other")]
    [TestCase("/discount/SAMREF-7Q2K?redirect=%2F", "code", Description = "the shop's own discount link, no channel")]
    [TestCase("/", "code", Description = "the friend typed the code")]
    [TestCase("/products/mug?utm_source=newsletter&ch=email", "code", Description = "another app's parameters are not ours")]
    [TestCase("", "code")]
    [TestCase(null, "code", Description = "no landing_site in the payload")]
    [TestCase("http://[::1?&&==&", "code", Description = "malformed")]
    public void Of_ReadsRefChOrSaysCode(string? landingSite, string channel) =>
        Assert.That(LandingChannel.Of(landingSite), Is.EqualTo(channel));

    [Test]
    public void Of_AVeryLongLandingSite_IsNotParsed() =>
        Assert.That(LandingChannel.Of("/?" + new string('a', 5000) + "&ref_ch=email"), Is.EqualTo("code"));
}
