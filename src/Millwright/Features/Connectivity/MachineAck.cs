namespace Millwright.Features.Connectivity;

/// <summary>A machine's answer to a command, as its transport received it; the payload is read by the feature that claims it.</summary>
internal sealed record MachineAck(long TenantId, long MachineId, string MachineName, ReadOnlyMemory<byte> Payload);
