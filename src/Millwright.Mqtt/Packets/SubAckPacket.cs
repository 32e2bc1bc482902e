namespace Millwright.Mqtt.Packets;

/// <summary>SUBACK (5.0 section 3.9); in 3.1.1 only 0, 1, 2 and 0x80 exist (3.1.1 section 3.9.3).</summary>
public sealed class SubAckPacket : MqttPacket
{
    public override PacketType Type => PacketType.SubAck;

    public ushort PacketId { get; set; }
    public MqttProperties? Properties { get; set; }
    public IReadOnlyList<ReasonCode> ReasonCodes { get; set; } = [];
}
