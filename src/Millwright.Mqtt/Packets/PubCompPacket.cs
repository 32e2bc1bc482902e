namespace Millwright.Mqtt.Packets;

/// <summary>PUBCOMP (5.0 section 3.7): last packet of the QoS 2 exchange.</summary>
public sealed class PubCompPacket : MqttPacket
{
    public override PacketType Type => PacketType.PubComp;

    public ushort PacketId { get; set; }

    /// <summary>5.0 only; omitted on the wire when Success and there are no properties.</summary>
    public ReasonCode ReasonCode { get; set; }

    public MqttProperties? Properties { get; set; }
}
