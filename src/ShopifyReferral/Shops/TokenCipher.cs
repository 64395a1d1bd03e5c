using Microsoft.AspNetCore.DataProtection;

namespace ShopifyReferral.Shops;

/// <summary>
/// Encrypts tokens at rest with ASP.NET Core Data Protection. The key ring lives in a folder (ShopsSetup), not in
/// the database, so a copied database file or backup alone does not give the tokens away. Ciphertext carries a
/// "dp1:" prefix; a value without it is a token stored before encryption came in, read as is and encrypted at its
/// next save (the first refresh).
/// </summary>
public sealed class TokenCipher(IDataProtectionProvider provider)
{
    private const string Prefix = "dp1:";
    private readonly IDataProtector _protector = provider.CreateProtector("ShopifyReferral.Shops.ShopTokens.v1");

    public string Protect(string token) => Prefix + _protector.Protect(token);

    public string Unprotect(string stored) =>
        stored.StartsWith(Prefix, StringComparison.Ordinal) ? _protector.Unprotect(stored[Prefix.Length..]) : stored;
}
