namespace ShopifyReferral.Sandbox;

/// <summary>The checkout would not take the order as asked, e.g. its discount code is not active.</summary>
public sealed class CheckoutRefusedException(string code, string status)
    : Exception($"Enter a valid discount code: {code} is {status.ToLowerInvariant()}, so checkout does not accept it.")
{
    public string Code { get; } = code;
}
