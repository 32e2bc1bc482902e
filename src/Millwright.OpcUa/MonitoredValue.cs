namespace Millwright.OpcUa;

/// <summary>One data change a subscription delivered: the monitored node and its new value.</summary>
internal sealed record MonitoredValue(NodeId Node, DataValue Value);
