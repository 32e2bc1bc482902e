namespace Millwright.Features.Telemetry;

/// <summary>
/// Whether this node owns a machine (cluster mode: holds its bucket's lease). Per-machine evaluators that also act
/// without a message (the state tracker's offline sweep) ask it, so that only the owner does; a single node
/// registers none and owns everything.
/// </summary>
internal interface IMachineOwnership
{
    bool Owns(long machineId);

    /// <summary>Changes whenever the machines this node owns may have changed (a lease taken, released or lost).</summary>
    long Version { get; }
}
