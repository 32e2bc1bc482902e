namespace Millwright.Mqtt.Packets;

/// <summary>PINGRESP (5.0 section 3.13): no variable header or payload, so one shared instance.</summary>
public sealed class PingRespPacket : MqttPacket
{
    public static readonly PingRespPacket Instance = new();

    private PingRespPacket()
    {
    }

    public override PacketType Type => PacketType.PingResp;
}
