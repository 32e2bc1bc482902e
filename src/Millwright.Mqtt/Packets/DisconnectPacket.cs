namespace Millwright.Mqtt.Packets;

/// <summary>DISCONNECT (5.0 section 3.14); empty in 3.1.1. Reason 0 is Normal disconnection.</summary>
public sealed class DisconnectPacket : MqttPacket
{
    public override PacketType Type => PacketType.Disconnect;

    public ReasonCode ReasonCode { get; set; }
    public MqttProperties? Properties { get; set; }
}
