namespace Millwright.OpcUa;

/// <summary>
/// A node to monitor (OPC 10000-4 5.12.2): its Value sampled every <see cref="SamplingInterval"/>, up to
/// <see cref="QueueSize"/> changes queued between publishes, and an absolute deadband (0: every change).
/// </summary>
internal sealed record MonitoredItemRequest(NodeId Node, TimeSpan SamplingInterval, uint QueueSize = 1, double AbsoluteDeadband = 0);
