using ShopifyReferral.Sandbox.Flow;

namespace ShopifyReferral.Sandbox.State;

/// <summary>The Flow side of a shop: the trigger calls Flow accepted.</summary>
public sealed partial class ShopState
{
    private readonly List<SandboxFlowRun> _flowRuns = [];

    public IReadOnlyList<SandboxFlowRun> FlowRuns { get { lock (Gate) return [.. _flowRuns]; } }

    internal void AddFlowRun(SandboxFlowRun run) { lock (Gate) _flowRuns.Add(run); }
}
