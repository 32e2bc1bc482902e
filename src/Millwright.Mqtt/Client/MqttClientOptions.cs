using Millwright.Mqtt.Packets;

namespace Millwright.Mqtt.Client;

/// <summary>How a client connects: where, as whom, in which protocol version.</summary>
public sealed record MqttClientOptions(string Host, int Port, string ClientId)
{
    public MqttProtocolVersion Version { get; init; } = MqttProtocolVersion.V500;
    public string? UserName { get; init; }
    public string? Password { get; init; }
    public bool CleanStart { get; init; } = true;
    public ushort KeepAliveSeconds { get; init; } = 30;
    public uint SessionExpirySeconds { get; init; }
    public MqttWill? Will { get; init; }
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The local address to connect from (any port), or null for the system's choice. A load generator spreads
    /// many connections over loopback addresses (127.0.0.x) so that each source has its own ephemeral ports.
    /// </summary>
    public System.Net.IPAddress? LocalAddress { get; init; }
}
