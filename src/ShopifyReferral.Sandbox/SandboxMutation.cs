using System.Text.Json.Nodes;

namespace ShopifyReferral.Sandbox;

/// <summary>A mutation that has just taken effect, its answer not yet sent; <paramref name="Port"/> is the store port it came in on.</summary>
public sealed record SandboxMutation(string Shop, string? Operation, JsonObject Variables, int Port);
