namespace Millwright.Mqtt.Packets;

/// <summary>UNSUBACK (5.0 section 3.11); 3.1.1 has no payload, so the reason codes are 5.0 only.</summary>
public sealed class UnsubAckPacket : MqttPacket
{
    public override PacketType Type => PacketType.UnsubAck;

    public ushort PacketId { get; set; }
    public MqttProperties? Properties { get; set; }
    public IReadOnlyList<ReasonCode> ReasonCodes { get; set; } = [];
}
