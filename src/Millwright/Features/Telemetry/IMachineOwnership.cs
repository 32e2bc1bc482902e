namespace Millwright.Features.Telemetry;

/// <summary>
/// Whether this node owns a machine (cluster mode: holds its bucket's lease). Per-machine evaluators that also act
/// without a message (the state tracker's offline sweep) ask it, so that only the owner does; a single node
/// registers none and owns everything.
/// </summary>
internal interface IMachineOwnership
{
    bool Owns(long machineId);

    /// <summary>
    /// The fencing token under which this node owns the machine, null when it does not. A machine lost and taken back
    /// (even within one lease tick) comes back under a new token, so state kept from before can be told stale.
    /// </summary>
    long? TokenOf(long machineId);

    /// <summary>
    /// Makes <paramref name="session"/>'s transaction conditional on this node still owning the machine in the store
    /// (its lease and token), so a node paused past its lease cannot write what it believed it owned; throws
    /// <see cref="Storage.WriteFencedException"/> when it no longer does. Checked once per machine and transaction:
    /// the check locks the lease row until the commit, so no one takes the machine over in between. With
    /// <paramref name="token"/> (the token the write was decided under, from <see cref="TokenOf"/> then) the write is
    /// also refused when the machine is held under another token now: it was lost and taken back since the decision.
    /// </summary>
    Task FenceAsync(Api.Session session, long machineId, long? token = null);

    /// <summary>Changes whenever the machines this node owns may have changed (a lease taken, released or lost).</summary>
    long Version { get; }
}
