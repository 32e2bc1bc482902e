namespace Millwright.Simulator.Drivers;

/// <summary>
/// A driver over which the platform sends a machine jobs (docs/production.md, "Commands to machines"). Commands
/// arrive on the connection's own thread and wait here; the runner takes them on its tick, so the model is only
/// ever touched by one loop.
/// </summary>
internal interface IJobChannel
{
    /// <summary>The next command payload received and not yet taken.</summary>
    bool TryTakeCommand(out byte[] payload);

    /// <summary>Publishes an answer on <c>cmd/ack</c> at QoS 1; throws when the connection is lost (the answer is kept and sent later).</summary>
    Task AnswerAsync(byte[] json, CancellationToken cancellationToken);
}
