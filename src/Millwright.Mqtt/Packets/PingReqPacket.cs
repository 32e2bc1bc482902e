namespace Millwright.Mqtt.Packets;

/// <summary>PINGREQ (5.0 section 3.12): no variable header or payload, so one shared instance.</summary>
public sealed class PingReqPacket : MqttPacket
{
    public static readonly PingReqPacket Instance = new();

    private PingReqPacket()
    {
    }

    public override PacketType Type => PacketType.PingReq;
}
