using Millwright.Messages;

namespace Millwright.Features.Telemetry;

/// <summary>
/// A consumer of committed telemetry (the twin, the live feed, alarms, states, anything later). The pipeline's
/// writer calls every observer, lowest <see cref="Order"/> first, after a batch is durable and before any sender
/// is acknowledged; it never calls them for a batch whose commit failed. Calls run on the pipeline's single
/// consumer, so an observer keeps its per-message cost to a lookup or a queue write and does its real work
/// elsewhere. Awaiting (a full bounded queue) slows the pipeline down: back-pressure, not loss.
/// </summary>
internal interface ITelemetryObserver
{
    /// <summary>
    /// Where the observer runs in the fan-out; ties keep registration order. Bands in use: 0 the twin (so that
    /// everything after it, and every acknowledged sender, reads the new values back), 100 the live feed,
    /// 200 alarms, 300 states, 400 anomalies (after states: it judges a reading in the state the tracker gave it).
    /// </summary>
    int Order { get; }

    /// <summary>
    /// In cluster mode, whether the observer runs only on the node that owns the message's machine (per-machine
    /// evaluation: one evaluator per machine), or on every node that commits or owns it (the twin).
    /// </summary>
    bool OnOwnerOnly => true;

    /// <summary>The batch's messages as admitted, in commit order; the list is reused after the call returns.</summary>
    ValueTask OnCommittedAsync(IReadOnlyList<DeviceMessage> batch, CancellationToken cancellationToken);
}
