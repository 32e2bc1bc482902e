namespace Millwright.Mqtt.Packets;

/// <summary>AUTH (5.0 section 3.15), enhanced authentication exchange; does not exist in 3.1.1.</summary>
public sealed class AuthPacket : MqttPacket
{
    public override PacketType Type => PacketType.Auth;

    public ReasonCode ReasonCode { get; set; }
    public MqttProperties? Properties { get; set; }
}
