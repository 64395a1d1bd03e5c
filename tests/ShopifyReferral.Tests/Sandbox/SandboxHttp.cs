using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ShopifyReferral.Sandbox;

namespace ShopifyReferral.Tests.Sandbox;

/// <summary>Small HTTP helpers the sandbox tests share: token exchange and GraphQL posts.</summary>
internal static class SandboxHttp
{
    public static async Task<HttpResponseMessage> ExchangeCode(HttpClient http, SandboxStore store, string shop,
        string code, bool expiring = true, string? secret = null) =>
        await http.PostAsJsonAsync(new Uri(store.BaseAddress, $"{shop}/admin/oauth/access_token"), new JsonObject
        {
            ["client_id"] = store.Options.ClientId,
            ["client_secret"] = secret ?? store.Options.ClientSecret,
            ["code"] = code,
            ["expiring"] = expiring ? "1" : null,
        });

    public static async Task<(int Status, JsonObject Body)> GraphQL(HttpClient http, SandboxStore store, string shop,
        string? token, string query, JsonObject? variables = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, store.GraphQLUrl(shop))
        {
            Content = JsonContent.Create(new JsonObject { ["query"] = query, ["variables"] = variables ?? [] }),
        };
        if (token is not null) request.Headers.Add("X-Shopify-Access-Token", token);
        using var response = await http.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        return ((int)response.StatusCode, body);
    }

    public static async Task<JsonObject> Json(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
}
