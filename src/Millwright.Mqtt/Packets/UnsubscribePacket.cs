namespace Millwright.Mqtt.Packets;

/// <summary>UNSUBSCRIBE (5.0 section 3.10); fixed header flags are 0010.</summary>
public sealed class UnsubscribePacket : MqttPacket
{
    public override PacketType Type => PacketType.Unsubscribe;

    public ushort PacketId { get; set; }
    public MqttProperties? Properties { get; set; }
    public IReadOnlyList<string> TopicFilters { get; set; } = [];
}
