namespace Millwright.Mqtt.Server;

/// <summary>One message on its way to one session, and how far its QoS handshake has got (4.3).</summary>
internal sealed class Delivery(ApplicationMessage message, QualityOfService qos, bool retain, IReadOnlyList<uint> subscriptionIds)
{
    public ApplicationMessage Message { get; } = message;
    public QualityOfService QoS { get; } = qos;
    public bool Retain { get; } = retain;
    public IReadOnlyList<uint> SubscriptionIds { get; } = subscriptionIds;
    public ushort PacketId { get; set; }
    public DeliveryState State { get; set; }

    /// <summary>Order of first sending, so a resumed session resends in the original order (4.6).</summary>
    public long Sequence { get; set; }

    /// <summary>Called once when the session is done with it (acknowledged, sent at QoS 0, expired, discarded): a replicated session's queue then lets it go.</summary>
    public Action? Settled { get; init; }
}

internal enum DeliveryState
{
    Queued,
    AwaitingPubAck,
    AwaitingPubRec,
    AwaitingPubComp,
}
