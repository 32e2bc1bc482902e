namespace Millwright.Mqtt.Packets;

/// <summary>PUBREC (5.0 section 3.5): first reply to a QoS 2 PUBLISH.</summary>
public sealed class PubRecPacket : MqttPacket
{
    public override PacketType Type => PacketType.PubRec;

    public ushort PacketId { get; set; }

    /// <summary>5.0 only; omitted on the wire when Success and there are no properties.</summary>
    public ReasonCode ReasonCode { get; set; }

    public MqttProperties? Properties { get; set; }
}
