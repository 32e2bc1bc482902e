namespace Millwright.Features.Connectivity;

/// <summary>
/// A transport a feature above this one adds to the machine-command port (Modbus register writes, OPC UA calls):
/// the port picks it by the transport a machine was last heard on (<see cref="Messages.ConnectionState.Source"/>)
/// and hands it the command. Answers come back through <see cref="MachineCommandPort.Receive"/>.
/// </summary>
internal interface IMachineCommandTransport
{
    /// <summary>The link source it serves, as the transport records it in <see cref="Telemetry.MachineConnectivity"/>.</summary>
    string Source { get; }

    /// <summary>Delivers the command, or says why it could not; never throws for the machine's refusal or absence.</summary>
    ValueTask<CommandReceipt> SendAsync(MachineCommand command, CancellationToken cancellationToken);
}
