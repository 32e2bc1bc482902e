using System.Diagnostics;
using System.Net;
using Millwright.Mqtt.Packets;
using Millwright.Mqtt.Server;
using Millwright.Mqtt.Tests.Interop;

namespace Millwright.Mqtt.Tests.Server;

/// <summary>Our <see cref="MqttServer"/> in-process on a free loopback port with an open gate, one per test.</summary>
internal sealed class TestBroker : IAsyncDisposable
{
    private TestBroker(MqttServer server, int port)
    {
        Server = server;
        Port = port;
    }

    public MqttServer Server { get; }

    public int Port { get; }

    public static TestBroker Start(MqttServerOptions? options = null, TimeProvider? clock = null, MqttGate? gate = null)
    {
        var server = new MqttServer(options ?? new MqttServerOptions(), gate ?? new OpenGate(allowAnonymous: true), clock);
        var endpoint = server.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        return new TestBroker(server, endpoint.Port);
    }

    /// <summary>A raw client with our codec, connected and past a successful CONNACK.</summary>
    public async Task<RawMqttClient> ConnectRawAsync(MqttProtocolVersion version, string clientId, MqttProperties? properties = null, bool cleanStart = true, ushort keepAlive = 30)
    {
        var client = new RawMqttClient(version);
        await client.ConnectAsync(Port);
        await client.SendAsync(new ConnectPacket { ProtocolVersion = version, ClientId = clientId, CleanStart = cleanStart, KeepAliveSeconds = keepAlive, Properties = properties });
        var connAck = Assert.IsType<ConnAckPacket>(await client.ReceiveAsync());
        Assert.Equal(ReasonCode.Success, connAck.ReasonCode);
        return client;
    }

    /// <summary>Polls a condition on the server's own state until a deadline.</summary>
    public static Task EventuallyAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        Eventually.TrueAsync(condition, what, timeout ?? PeerProcess.DefaultWait);

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
