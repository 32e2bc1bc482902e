namespace Millwright.OpcUa.Services;

/// <summary>A Publish's message (OPC 10000-4 7.25): a keep-alive carries no data and does not use up its sequence number.</summary>
internal sealed record NotificationMessage(uint SequenceNumber, DateTime PublishTime, bool IsKeepAlive, IReadOnlyList<(uint Handle, DataValue Value)> Changes);
