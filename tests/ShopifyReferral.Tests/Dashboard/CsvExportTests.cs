using System.Net;
using System.Text;
using Dapper;
using ShopifyReferral.Dashboard;
using ShopifyReferral.Merchant;
using ShopifyReferral.Shops;
using ShopifyReferral.Tests.Infrastructure;
using static ShopifyReferral.Tests.Dashboard.Seed;

namespace ShopifyReferral.Tests.Dashboard;

/// <summary>
/// CSV exports parse back with an independent RFC 4180 reader: quoted commas, quotes, newlines, non-ASCII, every row.
/// The exports only read, so the fixture seeds its 1,200 referrals once for both (seeding took ~14 s a test on PostgreSQL).
/// </summary>
public class CsvExportTests
{
    private const string Shop = "csv.myshopify.com";
    private const int Rows = 1200;
    private TestApp _app = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _app = new TestApp(new() { ["Webhooks:Workers"] = "0", ["Referrals:Background"] = "false" });
        _http = _app.CreateClient();
        await _app.Service<ShopStore>().MarkInstalledAsync(Shop, DateTimeOffset.UtcNow);
        using var db = _app.OpenDb();
        using var tx = db.BeginTransaction();
        var s = new Seed(db, Shop);
        var tricky = s.Referrer(1, "Zoë \"Z\", Jr.", "Ångström\nSecond line", "zoë@example.com", "ZOE-1111", Noon(11, 1));
        var formula = s.Referrer(2, "=HYPERLINK(\"x\")", "-minus", "@at@example.com", "EQ-2222", Noon(11, 1));
        for (var i = 0; i < Rows; i++)
        {
            var referral = s.Referral(s.Order(1000 + i, Noon(11, 1) + i, "12.50"), i % 2 == 0 ? tricky : formula, "approved", Noon(11, 1) + i,
                $"friend{i}@example.com", "12.50", i == 7 ? "Approved: \"looks fine\", checked,\r\nby Ann" : null);
            s.Reward(tricky, referral, $"{referral}:referral", "fixed_amount", "-10.00", "issued", Noon(11, 2), null, $"THANKS-{i:D5}");
        }
        new Seed(db, "other.myshopify.com").Referrer(3, "Other", null, "o@example.com", "OTHER-1", Noon(11, 1));
        tx.Commit();
    }

    [OneTimeTearDown]
    public void Stop() => _app?.Dispose();

    private async Task<(HttpResponseMessage Response, byte[] Bytes)> Get(string path)
    {
        var response = await _http.SendAsync(Sessions.Get(path, Sessions.Token(Shop)));
        return (response, await response.Content.ReadAsByteArrayAsync());
    }

    [Test]
    public async Task ReferralsCsv_Utf8Bom_QuotedFieldsParseBack_EveryRow()
    {
        var (response, bytes) = await Get("/api/export/referrals.csv");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType!.ToString(), Is.EqualTo("text/csv; charset=utf-8"));
        Assert.That(response.Content.Headers.ContentDisposition!.FileName, Is.EqualTo("referrals.csv"));
        Assert.That(bytes[..3], Is.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }), "UTF-8 byte order mark for Excel");

        var rows = Parse(Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3));
        Assert.That(rows, Has.Count.EqualTo(Rows + 1), "header + every referral");
        var header = rows[0];
        Assert.That(rows.Skip(1).All(r => r.Count == header.Count), "every row has every column");
        string Col(List<string> row, string name) => row[header.IndexOf(name)];
        Assert.That(Col(rows[1], "referrer_first_name"), Is.EqualTo("Zoë \"Z\", Jr."));
        Assert.That(Col(rows[1], "referrer_last_name"), Is.EqualTo("Ångström\nSecond line"));
        Assert.That(Col(rows[1], "referrer_email"), Is.EqualTo("zoë@example.com"));
        Assert.That(Col(rows[8], "status_reason"), Is.EqualTo("Approved: \"looks fine\", checked,\r\nby Ann"));
        Assert.That(Col(rows[2], "referrer_first_name"), Is.EqualTo("'=HYPERLINK(\"x\")"), "formula injection defused");
        Assert.That((Col(rows[2], "referrer_last_name"), Col(rows[2], "referrer_email")), Is.EqualTo(("'-minus", "'@at@example.com")));
        Assert.That(Col(rows[1], "order_subtotal"), Is.EqualTo("12.50"));
        Assert.That(rows.Skip(1).Select(r => Col(r, "friend_email")).Distinct().Count(), Is.EqualTo(Rows));
    }

    [Test]
    public async Task RewardsCsv_EveryRow_NegativeAmountsStayNumbers()
    {
        var (_, bytes) = await Get("/api/export/rewards.csv");
        var rows = Parse(Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3));
        Assert.That(rows, Has.Count.EqualTo(Rows + 1));
        var header = rows[0];
        Assert.That(rows.Skip(1).Select(r => r[header.IndexOf("code")]), Is.EquivalentTo(Enumerable.Range(0, Rows).Select(i => $"THANKS-{i:D5}")));
        Assert.That(rows[1][header.IndexOf("value")], Is.EqualTo("-10.00"), "a number is never formula-guarded");
        Assert.That(rows[1][header.IndexOf("first_name")], Is.EqualTo("Zoë \"Z\", Jr."));
    }

    /// <summary>A small RFC 4180 reader written for the test (quoted fields, doubled quotes, CRLF row ends).</summary>
    private static List<List<string>> Parse(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { row.Add(field.ToString()); field.Clear(); }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') { row.Add(field.ToString()); field.Clear(); rows.Add(row); row = []; i++; }
            else field.Append(c);
        }
        Assert.That(row.Count == 0 && field.Length == 0, "the file ends with CRLF");
        return rows;
    }
}

/// <summary>One CSV field as the exports write it: no database, so apart from <see cref="CsvExportTests"/>' seeded app.</summary>
[Category(TestProvider.NoDatabase)]
public class CsvFieldTests
{
    [TestCase(null, "")]
    [TestCase("plain", "plain")]
    [TestCase("a,b", "\"a,b\"")]
    [TestCase("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [TestCase("two\nlines", "\"two\nlines\"")]
    [TestCase("=1+1", "'=1+1")]
    public void Field_QuotesPerRfc4180(string? value, string expected) => Assert.That(Csv.Field(value), Is.EqualTo(expected));
}
