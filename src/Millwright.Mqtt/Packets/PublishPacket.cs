namespace Millwright.Mqtt.Packets;

/// <summary>PUBLISH (5.0 section 3.3). The payload is owned by the packet, never a view into a receive buffer.</summary>
public sealed class PublishPacket : MqttPacket
{
    public override PacketType Type => PacketType.Publish;

    public bool Dup { get; set; }
    public QualityOfService QoS { get; set; }
    public bool Retain { get; set; }

    /// <summary>May be empty in 5.0 when a topic alias stands for it (3.3.2.3.4).</summary>
    public string Topic { get; set; } = "";

    /// <summary>Present only when QoS is 1 or 2 (3.3.2.2).</summary>
    public ushort PacketId { get; set; }

    public MqttProperties? Properties { get; set; }
    public ReadOnlyMemory<byte> Payload { get; set; }
}
