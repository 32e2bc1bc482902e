namespace Millwright.Mqtt.Packets;

/// <summary>PUBACK (5.0 section 3.4): reply to a QoS 1 PUBLISH.</summary>
public sealed class PubAckPacket : MqttPacket
{
    public override PacketType Type => PacketType.PubAck;

    public ushort PacketId { get; set; }

    /// <summary>5.0 only; omitted on the wire when Success and there are no properties.</summary>
    public ReasonCode ReasonCode { get; set; }

    public MqttProperties? Properties { get; set; }
}
