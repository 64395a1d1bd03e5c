using System.Net;
using System.Text;
using System.Text.Json;

namespace ShopifyReferral.Tests.Infrastructure;

/// <summary>One merchant API call with a session token, the answer parsed as JSON (default when the body is empty).</summary>
public static class ApiCall
{
    /// <summary><paramref name="body"/>: a string is sent as is (so a test can send malformed JSON), anything else serialized.</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(
        HttpClient http, HttpMethod method, string path, string shop, DateTimeOffset now, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new("Bearer", Sessions.Token(shop, now));
        if (body is not null)
            request.Content = new StringContent(body as string ?? JsonSerializer.Serialize(body, JsonSerializerOptions.Web), Encoding.UTF8, "application/json");
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = text.Length > 0 && (response.Content.Headers.ContentType?.MediaType?.Contains("json") ?? false)
            ? JsonDocument.Parse(text).RootElement.Clone()
            : default;
        return (response.StatusCode, json);
    }
}
