using System.Text.Json.Nodes;
using ShopifyReferral.Sandbox.GraphQL;

namespace ShopifyReferral.Sandbox.Flow;

/// <summary>One flowTriggerReceive Flow accepted: the trigger's handle and the payload, as sent.</summary>
public sealed record SandboxFlowRun(string Handle, string Payload, DateTimeOffset At);

/// <summary>
/// <c>flowTriggerReceive(handle:, payload:)</c>: Flow starts the workflows on the trigger. The answer is only
/// userErrors (plain UserError: field and message): an unknown handle, a missing payload, or one over Flow's 50 KB
/// limit. Every accepted call is kept, so tests can count what reached Flow.
/// </summary>
internal sealed class FlowResolvers : IResolverGroup
{
    private const int MaxPayloadBytes = 50_000;

    public void Register(ResolverRegistry registry) => registry.Mutation("flowTriggerReceive", Receive);

    private static object Receive(ResolveContext ctx, FieldArgs args)
    {
        var handle = args.String("handle");
        var payload = args["payload"];
        if (string.IsNullOrWhiteSpace(handle)) return Payload(new UserError(["handle"], null, "Handle can't be blank"));
        if (!ctx.Options.FlowTriggerHandles.Contains(handle))
            return Payload(new UserError(["handle"], null, $"Invalid handle: no trigger '{handle}' is defined for this app"));
        if (payload is not JsonObject body) return Payload(new UserError(["payload"], null, "Payload must be a JSON object"));
        var text = body.ToJsonString();
        if (System.Text.Encoding.UTF8.GetByteCount(text) > MaxPayloadBytes)
            return Payload(new UserError(["payload"], null, "Payload exceeds the maximum size of 50 KB"));
        ctx.Shop.AddFlowRun(new SandboxFlowRun(handle, text, ctx.Now));
        return Payload();
    }

    private static GraphObject Payload(params UserError[] errors) =>
        new("FlowTriggerReceivePayload") { { "userErrors", UserError.Graph(errors, "UserError") } };
}
