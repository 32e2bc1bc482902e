namespace Millwright.Mqtt.Packets;

/// <summary>SUBSCRIBE (5.0 section 3.8); fixed header flags are 0010.</summary>
public sealed class SubscribePacket : MqttPacket
{
    public override PacketType Type => PacketType.Subscribe;

    public ushort PacketId { get; set; }
    public MqttProperties? Properties { get; set; }
    public IReadOnlyList<Subscription> Subscriptions { get; set; } = [];
}
