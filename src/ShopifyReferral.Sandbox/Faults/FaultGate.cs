using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ShopifyReferral.Sandbox.GraphQL;

namespace ShopifyReferral.Sandbox.Faults;

/// <summary>Where the GraphQL endpoint consults a shop's <see cref="ShopFaults"/>: before running, and after a mutation.</summary>
internal static class FaultGate
{
    /// <summary>Applies the next queued status or latency fault; true when the response has been written.</summary>
    public static async Task<bool> BeforeAsync(HttpContext http, ShopFaults faults)
    {
        switch (faults.TakeBefore())
        {
            case Fault.Latency latency:
                // Wall-clock on purpose: this exercises the client's per-attempt timeout, which runs on real time.
                await Task.Delay(latency.Delay, http.RequestAborted);
                return false;
            case Fault.Status { Code: 429 } limited:
                http.Response.Headers.RetryAfter =
                    limited.RetryAfter!.Value.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
                await GraphQLApi.Write(http, 429, new JsonObject { ["errors"] = "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service." });
                return true;
            case Fault.Status status:
                await GraphQLApi.Write(http, status.Code, new JsonObject { ["errors"] = Reason(status.Code) });
                return true;
            default:
                return false;
        }
    }

    /// <summary>After a mutation ran: loses the answer if a drop is queued. True when the response is dealt with.</summary>
    public static async Task<bool> AfterMutationAsync(HttpContext http, ShopFaults faults)
    {
        switch (faults.TakeDrop())
        {
            case DropMode.Abort:
                http.Abort();
                return true;
            case DropMode.BadGateway:
                await GraphQLApi.Write(http, 502, new JsonObject { ["errors"] = "Bad Gateway" });
                return true;
            default:
                return false;
        }
    }

    private static string Reason(int status) => status switch
    {
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => $"HTTP {status}",
    };
}
