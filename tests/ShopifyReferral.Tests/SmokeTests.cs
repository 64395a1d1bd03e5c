namespace ShopifyReferral.Tests;

public class SmokeTests
{
    [Test]
    public void Build_Compiles_True() => Assert.That(typeof(Program).Assembly.GetName().Name, Is.EqualTo("ShopifyReferral"));
}
