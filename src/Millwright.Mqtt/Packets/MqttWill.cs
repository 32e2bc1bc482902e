namespace Millwright.Mqtt.Packets;

/// <summary>The will message carried in CONNECT (5.0 sections 3.1.2.5 and 3.1.3.2-3.1.3.4).</summary>
public sealed class MqttWill
{
    public string Topic { get; set; } = "";
    public ReadOnlyMemory<byte> Payload { get; set; }
    public QualityOfService QoS { get; set; }
    public bool Retain { get; set; }

    /// <summary>Will properties, 5.0 only.</summary>
    public MqttProperties? Properties { get; set; }
}
