namespace Millwright.Mqtt.Packets;

/// <summary>PUBREL (5.0 section 3.6): reply to PUBREC; fixed header flags are 0010.</summary>
public sealed class PubRelPacket : MqttPacket
{
    public override PacketType Type => PacketType.PubRel;

    public ushort PacketId { get; set; }

    /// <summary>5.0 only; omitted on the wire when Success and there are no properties.</summary>
    public ReasonCode ReasonCode { get; set; }

    public MqttProperties? Properties { get; set; }
}
