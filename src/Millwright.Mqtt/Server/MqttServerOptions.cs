namespace Millwright.Mqtt.Server;

/// <summary>
/// The broker's limits. Each bounds what one client can make the server hold, so that a slow or hostile
/// client cannot stall the others or grow memory without bound.
/// </summary>
public sealed class MqttServerOptions
{
    /// <summary>Largest packet accepted (announced as Maximum Packet Size in 5.0 CONNACK).</summary>
    public int MaxPacketSize { get; init; } = 1 << 20;

    /// <summary>Authenticated connections at once; a socket counts only once its CONNECT was accepted.</summary>
    public int MaxConnections { get; init; } = 100_000;

    /// <summary>
    /// Sockets that have not yet been accepted by CONNECT (TLS handshake, CONNECT, the gate's check) at once;
    /// more are closed on accept. Bounded apart from <see cref="MaxConnections"/>, so that anonymous sockets
    /// cannot crowd out authenticated clients and authenticated clients cannot starve new logins.
    /// </summary>
    public int MaxUnauthenticatedConnections { get; init; } = 1_000;

    /// <summary>Inbound QoS 1/2 publishes a client may have unacknowledged (5.0 Receive Maximum).</summary>
    public ushort ReceiveMaximum { get; init; } = 100;

    /// <summary>Messages a session may hold waiting for delivery or acknowledgement, online or offline; more are dropped and counted.</summary>
    public int MaxQueuedMessages { get; init; } = 1000;

    /// <summary>Publishes per second one client may send; above it the server stops reading its socket. 0 = no limit.</summary>
    public double MaxPublishRate { get; init; }

    public ushort TopicAliasMaximum { get; init; } = 64;

    /// <summary>Upper bound on any session's expiry, also for 3.1.1 persistent sessions.</summary>
    public TimeSpan MaxSessionExpiry { get; init; } = TimeSpan.FromDays(7);

    /// <summary>A socket not accepted by CONNECT within this time (TLS handshake and the gate's check included) is closed; measured on the server's clock.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Plain TCP sockets on Linux (x64, arm64) wait for their next bytes in the broker's own epoll loop instead of in
    /// .NET's socket operations, which keep about 0.8 KB per socket (docs/mqtt.md, "Parked sockets"); false uses
    /// .NET's. TLS sockets and other systems always use .NET's.
    /// </summary>
    public bool ParkIdleSockets { get; init; } = true;

    public void Validate()
    {
        if (MaxPacketSize is < 64 or > 268_435_455)
        {
            throw new ArgumentException("MaxPacketSize must be between 64 bytes and 256 MiB (the MQTT limit).");
        }

        if (MaxConnections < 1 || MaxUnauthenticatedConnections < 1 || ReceiveMaximum < 1 || MaxQueuedMessages < 1 || MaxPublishRate < 0)
        {
            throw new ArgumentException("MaxConnections, MaxUnauthenticatedConnections, ReceiveMaximum and MaxQueuedMessages must be positive; MaxPublishRate not negative.");
        }
    }
}
