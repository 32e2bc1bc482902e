namespace Millwright.Mqtt.Packets;

/// <summary>
/// CONNACK (5.0 section 3.2). <see cref="ReasonCode"/> is written as the matching 3.1.1 return code when
/// encoding 3.1.1 (see <see cref="ConnectReturnCodes"/>).
/// </summary>
public sealed class ConnAckPacket : MqttPacket
{
    public override PacketType Type => PacketType.ConnAck;

    public bool SessionPresent { get; set; }
    public ReasonCode ReasonCode { get; set; }
    public MqttProperties? Properties { get; set; }
}
