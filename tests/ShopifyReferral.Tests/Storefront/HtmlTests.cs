using ShopifyReferral.Storefront;

namespace ShopifyReferral.Tests.Storefront;

[Category(Infrastructure.TestProvider.NoDatabase)]
public class HtmlTests
{
    [Test]
    public void Holes_AreEncoded_TemplateAndSafeHtmlAreNot()
    {
        const string name = "<script>alert('x')</script> & \"quotes\"";
        var html = new Html().Add($"""<p class="x">{name}</p>{Html.Raw("<b>ok</b>")}""").ToString();
        Assert.That(html, Does.StartWith("<p class=\"x\">&lt;script&gt;"));
        Assert.That(html, Does.Not.Contain("<script>"));
        Assert.That(html, Does.Contain("&amp;").And.Contain("&quot;quotes&quot;").And.EndWith("</p><b>ok</b>"));
    }

    [Test]
    public void AttributeValues_CannotBreakOut() =>
        Assert.That(new Html().Add($"""<a href="{"\" onclick=\"evil()"}">x</a>""").ToString(), Does.Not.Contain("\" onclick"));
}
