using ShopifyReferral.Sandbox;

namespace ShopifyReferral.Tests.Sandbox;

public partial class ShopifyAdminAgainstSandboxTests
{
    [Test]
    public async Task GetOrderBuyer_ReadsTheBuyerStatusAndCodes_GuestsHaveNoCustomer_UnknownIsNull()
    {
        var bought = Store.RecordOrder(Shop, new SandboxOrder { CustomerId = 812, FirstName = "Ana", LastName = "Ruiz", Email = "ana@example.com" }, paid: false);
        var guest = Store.RecordOrder(Shop, new SandboxOrder { CustomerId = null });

        var order = (await Admin.GetOrderBuyerAsync(Shop, bought.Gid, default))!;
        Assert.That((order.Gid, order.LegacyId, order.Name, order.IsPaid, order.FinancialStatus), Is.EqualTo((bought.Gid, bought.Id, bought.Name, false, "PENDING")));
        Assert.That((order.CustomerId, order.CustomerFirstName, order.CustomerLastName, order.CustomerEmail), Is.EqualTo(((long?)812, "Ana", "Ruiz", "ana@example.com")));
        Assert.That(order.CreatedAt, Is.EqualTo(_env.Time.GetUtcNow()).Within(TimeSpan.FromSeconds(1)));

        var anonymous = (await Admin.GetOrderBuyerAsync(Shop, guest.Gid, default))!;
        Assert.That((anonymous.CustomerId, anonymous.CustomerEmail, anonymous.IsPaid), Is.EqualTo(((long?)null, (string?)null, true)));
        Assert.That(await Admin.GetOrderBuyerAsync(Shop, "gid://shopify/Order/404", default), Is.Null);
        Assert.That(await Admin.GetOrderBuyerAsync(OtherShop, bought.Gid, default), Is.Null, "another shop's order is not this shop's");
    }
}
