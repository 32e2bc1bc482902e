namespace Millwright.Features.Connectivity;

/// <summary>
/// A feature's side of the answers: it claims those it understands. Called on the transport's connection thread
/// (an MQTT client's read loop), so it must only read the payload and hand the work on (for example to a channel). The payload may be the
/// transport's buffer: it is valid during the call only, so a handler that keeps it copies it.
/// </summary>
internal interface IMachineAckHandler
{
    /// <summary>
    /// The namespace of this feature's command ids (<see cref="Connectivity.CommandNamespace"/>): answers whose id
    /// names it come to this handler alone. Null for a feature whose ids have none (it is asked in turn).
    /// </summary>
    string? CommandNamespace => null;

    AckVerdict Handle(MachineAck ack);
}
