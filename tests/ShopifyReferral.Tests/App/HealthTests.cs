using System.Net;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.App;

// Takes the SQLite file away from under the app; a server database goes away differently.
[Category(TestProvider.SqliteOnly)]
public class HealthTests
{
    [Test]
    public async Task Health_DatabaseGone_Returns503ThenBack200()
    {
        var folder = Repo.TempFolder();
        var path = Path.Combine(folder, "referral.db");
        // No pooling, so every health check really opens the file.
        using var app = new TestApp(new() { ["ConnectionStrings:Referral"] = $"Data Source={path};Pooling=False", ["Webhooks:Workers"] = "0" });
        var http = app.CreateClient();
        Assert.That((await http.GetAsync("/health")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var moved = Path.Combine(folder, "moved");
        Directory.CreateDirectory(moved);
        foreach (var f in Directory.GetFiles(folder, "referral.db*")) File.Move(f, Path.Combine(moved, Path.GetFileName(f)));
        Directory.CreateDirectory(path); // a folder where the database file was: SQLite cannot open it
        var down = await http.GetAsync("/health");
        Assert.That(down.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(await down.Content.ReadAsStringAsync(), Does.Contain("database"));

        Directory.Delete(path);
        // The workers keep polling: one may create an empty file in the gap (SQLite creates what it opens), and the
        // real one goes back over it.
        foreach (var f in Directory.GetFiles(folder, "referral.db*")) File.Delete(f);
        foreach (var f in Directory.GetFiles(moved)) File.Move(f, Path.Combine(folder, Path.GetFileName(f)), overwrite: true);
        Assert.That((await http.GetAsync("/health")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
