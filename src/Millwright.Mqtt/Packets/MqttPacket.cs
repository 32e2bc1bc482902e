namespace Millwright.Mqtt.Packets;

/// <summary>A decoded or to-be-encoded control packet. Plain data: the codec holds all the rules.</summary>
public abstract class MqttPacket
{
    public abstract PacketType Type { get; }
}
