using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using ShopifyReferral.Shopify;
using ShopifyReferral.Shops;

namespace ShopifyReferral.Merchant;

/// <summary>
/// Shopify session tokens as ASP.NET Core authentication: one scheme per kind of token (the merchant's admin, a
/// checkout or customer-account extension), one policy each, so an endpoint group says
/// <c>.RequireAuthorization(SessionTokenAuth.Merchant)</c>. No default scheme: requests outside those groups (webhooks,
/// the storefront) never pay for a token check.
/// </summary>
public static class SessionTokenAuth
{
    public const string Merchant = "ShopifyAdminSession";
    public const string Extension = "ShopifyExtensionSession";
    public const string ShopClaim = "shop";

    public static IServiceCollection AddSessionTokens(this IServiceCollection services)
    {
        services.AddAuthentication()
            .AddScheme<SessionTokenSchemeOptions, SessionTokenHandler>(Merchant, o => o.Kind = SessionTokenKind.Admin)
            .AddScheme<SessionTokenSchemeOptions, SessionTokenHandler>(Extension, o => o.Kind = SessionTokenKind.Extension);
        services.AddAuthorizationBuilder()
            .AddPolicy(Merchant, p => p.AddAuthenticationSchemes(Merchant).RequireAuthenticatedUser())
            .AddPolicy(Extension, p => p.AddAuthenticationSchemes(Extension).RequireAuthenticatedUser());
        return services;
    }

    /// <summary>The verified session of a request that passed one of the policies: the only shop it may act for.</summary>
    public static ShopSession ShopSession(this HttpContext http) =>
        http.User.FindFirst(ShopClaim) is { } shop
            ? new ShopSession(shop.Value, http.User.FindFirst("sub")?.Value, http.User.FindFirst("sid")?.Value)
            : throw new InvalidOperationException("No verified shop session: the endpoint does not require a session policy.");
}

public sealed class SessionTokenSchemeOptions : AuthenticationSchemeOptions
{
    public SessionTokenKind Kind { get; set; }
}

/// <summary>A refusal with the problem type the 401 carries (the page runs a token exchange on reauthorize).</summary>
public sealed class SessionRefusedException(string type, string detail) : Exception(detail)
{
    public string Type { get; } = type;
}

public sealed class SessionTokenHandler(
    IOptionsMonitor<SessionTokenSchemeOptions> options, ILoggerFactory logs, UrlEncoder encoder,
    IOptions<ShopifyOptions> shopify, ShopStore shops, TimeProvider time)
    : AuthenticationHandler<SessionTokenSchemeOptions>(options, logs, encoder)
{
    private const string UnauthorizedType = "https://shopifyreferral.dev/problems/unauthorized";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var auth = Request.Headers.Authorization.ToString();
        if (!auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var o = shopify.Value;
        var (session, why) = await SessionToken.VerifyAsync(auth["Bearer ".Length..].Trim(), o.ClientId, [o.ClientSecret, o.PreviousClientSecret], time, Options.Kind);
        if (session is null) return Refuse(UnauthorizedType, $"The session token was refused: {why}.");

        var shop = await shops.FindAsync(session.Shop, Context.RequestAborted);
        if (shop?.Status != "installed")
            return Options.Kind == SessionTokenKind.Extension
                ? Refuse(UnauthorizedType, $"{session.Shop} has not installed the app.")
                // A valid admin token means Shopify's admin has the app open for this shop, so a token exchange can mend a
                // missing or refused token (Shopify-managed install, needs_reauth); the page does it when it sees this type.
                : Refuse(MerchantApi.ReauthorizeType, (shop?.Status == ShopStore.NeedsReauth
                    ? $"{session.Shop} needs re-authorisation: Shopify refused its stored token."
                    : $"{session.Shop} has not installed the app (no token yet).") + " POST /auth/token-exchange with this session token, then retry.");

        Claim[] claims = [new(SessionTokenAuth.ShopClaim, session.Shop), .. Optional("sub", session.UserId), .. Optional("sid", session.SessionId)];
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name, "sub", null));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var (type, detail) = result.Failure is SessionRefusedException refused
            ? (refused.Type, refused.Message)
            : (UnauthorizedType, Options.Kind == SessionTokenKind.Extension
                ? "An extension session token is required (Authorization: Bearer <token>)."
                : "A Shopify session token is required (Authorization: Bearer <token>).");
        await TypedResults.Problem(detail, statusCode: 401, type: type).ExecuteAsync(Context);
    }

    private static AuthenticateResult Refuse(string type, string detail) => AuthenticateResult.Fail(new SessionRefusedException(type, detail));

    private static IEnumerable<Claim> Optional(string type, string? value) => value is null ? [] : [new Claim(type, value)];
}
