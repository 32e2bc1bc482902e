namespace Millwright.Features.Connectivity;

/// <summary>
/// Cluster mode: carries a command to the node that owns the machine when this node has not heard it (its Modbus or
/// OPC UA poller runs on the owner; an MQTT device may be connected anywhere, and the owner's broker reaches it over
/// the bridge). A single node registers none and sends every command itself.
/// </summary>
internal interface IMachineCommandRoute
{
    /// <summary>Whether another node should send the machine's commands.</summary>
    bool CarriedElsewhere(long machineId);

    /// <summary>Sends the command through that node's port and returns its receipt; a node that does not answer is a refusal.</summary>
    ValueTask<CommandReceipt> SendAsync(MachineCommand command, CancellationToken cancellationToken);
}
