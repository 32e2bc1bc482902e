using Millwright.Mqtt.Packets;

namespace Millwright.Mqtt.Server;

/// <summary>A PUBACK or PUBREC owed to the client, waiting in arrival order for its message to be durable.</summary>
internal readonly record struct PendingAck(ushort PacketId, QualityOfService QoS, PublishVerdict Verdict)
{
    /// <summary>Whether the acknowledgement can be decided now: nothing to wait for, or the wait is over.</summary>
    public bool IsSettled => Verdict.Durable is not { IsCompleted: false };
}
