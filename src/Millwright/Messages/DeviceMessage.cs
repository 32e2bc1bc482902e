namespace Millwright.Messages;

/// <summary>
/// The one message type inside the platform: what a machine reported, by whatever protocol it came.
/// Transports build it at the edge; nothing past the edge knows MQTT, Sparkplug, Modbus or HTTP.
/// </summary>
internal sealed record DeviceMessage(long TenantId, long MachineId, string Source, DateTimeOffset ReceivedAt, IReadOnlyList<Reading> Readings);
