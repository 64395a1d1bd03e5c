using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ShopifyReferral.Shopify;

/// <summary>A customer's store credit account in one currency: its balance and its latest debits (newest first).</summary>
public sealed record StoreCreditAccountView(string Gid, string Currency, decimal Balance, IReadOnlyList<StoreCreditDebitView> Debits);

/// <summary>One debit; Amount is positive here (Shopify reports debits as negative amounts). Event ADJUSTMENT: an app's.</summary>
public sealed record StoreCreditDebitView(string? Gid, decimal Amount, DateTimeOffset CreatedAt, string Event);

/// <summary>Store credit reads and debits (clawback), beside <see cref="IShopifyAdmin"/>'s credit.</summary>
public sealed class StoreCreditAdmin(ShopifyGraphQL graphQL)
{
    /// <summary>The customer's accounts; empty when the customer or their accounts do not exist.</summary>
    public async Task<IReadOnlyList<StoreCreditAccountView>> AccountsAsync(string shop, string customerGid, CancellationToken ct)
    {
        var response = await graphQL.ExecuteAsync(shop, nameof(AdminDocuments.CustomerStoreCredit), AdminDocuments.CustomerStoreCredit,
            new JsonObject { ["id"] = customerGid }, ct);
        var customer = response.Data.GetProperty("customer");
        if (customer.ValueKind != JsonValueKind.Object) return [];
        return [.. customer.GetProperty("storeCreditAccounts").GetProperty("nodes").EnumerateArray().Select(a => new StoreCreditAccountView(
            a.GetProperty("id").GetString()!,
            a.GetProperty("balance").GetProperty("currencyCode").GetString()!,
            Decimal(a.GetProperty("balance").GetProperty("amount")),
            [.. a.GetProperty("transactions").GetProperty("nodes").EnumerateArray().Select(t => new StoreCreditDebitView(
                t.TryGetProperty("id", out var id) ? id.GetString() : null,
                Math.Abs(Decimal(t.GetProperty("amount").GetProperty("amount"))),
                DateTimeOffset.Parse(t.GetProperty("createdAt").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                t.GetProperty("event").GetString()!))]))];
    }

    /// <summary>
    /// storeCreditAccountDebit on an account. Not idempotent, so only answers Shopify gives before running anything
    /// are retried; the caller keeps the in-flight marker. Returns the debit transaction's gid.
    /// </summary>
    public async Task<string> DebitAsync(string shop, string accountGid, decimal amount, string currency, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amount);
        var debit = new JsonObject
        {
            ["debitAmount"] = new JsonObject { ["amount"] = amount.ToString("0.00##", CultureInfo.InvariantCulture), ["currencyCode"] = currency },
        };
        var response = await graphQL.ExecuteAsync(shop, nameof(AdminDocuments.StoreCreditAccountDebit), AdminDocuments.StoreCreditAccountDebit,
            new JsonObject { ["id"] = accountGid, ["debit"] = debit }, ct, idempotent: false);
        var payload = response.Data.GetProperty("storeCreditAccountDebit");
        var errors = payload.GetProperty("userErrors");
        if (errors.GetArrayLength() > 0)
            throw new ShopifyUserErrorException(nameof(AdminDocuments.StoreCreditAccountDebit), [.. errors.EnumerateArray().Select(e => new ShopifyUserError(
                e.TryGetProperty("field", out var f) && f.ValueKind == JsonValueKind.Array ? [.. f.EnumerateArray().Select(x => x.ToString())] : [],
                e.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null,
                e.GetProperty("message").GetString() ?? ""))], response.RequestId);
        return payload.GetProperty("storeCreditAccountTransaction").GetProperty("id").GetString()!;
    }

    private static decimal Decimal(JsonElement e) =>
        e.ValueKind == JsonValueKind.Number ? e.GetDecimal() : decimal.Parse(e.GetString()!, NumberStyles.Number, CultureInfo.InvariantCulture);
}
