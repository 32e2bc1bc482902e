namespace Millwright.Mqtt.Packets;

/// <summary>CONNECT (5.0 section 3.1, 3.1.1 section 3.1).</summary>
public sealed class ConnectPacket : MqttPacket
{
    public override PacketType Type => PacketType.Connect;

    public MqttProtocolVersion ProtocolVersion { get; set; } = MqttProtocolVersion.V500;

    /// <summary>Clean Start in 5.0, Clean Session in 3.1.1 (same bit).</summary>
    public bool CleanStart { get; set; } = true;

    public ushort KeepAliveSeconds { get; set; }
    public string ClientId { get; set; } = "";
    public MqttWill? Will { get; set; }
    public string? UserName { get; set; }
    /// <summary>Null when absent; empty is a present, zero-length password. An array, see <see cref="MqttProperties"/>.</summary>
    public byte[]? Password { get; set; }

    /// <summary>5.0 only; ignored when encoding 3.1.1.</summary>
    public MqttProperties? Properties { get; set; }
}
