using Millwright.Mqtt.Packets;
using Millwright.Mqtt.Server;
using Millwright.Mqtt.Tests.Interop;

namespace Millwright.Mqtt.Tests.Server;

/// <summary>
/// Sockets that have not logged in: they take no place among <see cref="MqttServerOptions.MaxConnections"/>,
/// have a bound of their own, and are closed when the CONNECT deadline passes on the server's clock.
/// </summary>
public sealed class UnauthenticatedTests
{
    [Fact]
    public async Task Sockets_that_never_send_CONNECT_take_no_place_from_clients_that_log_in()
    {
        await using var broker = TestBroker.Start(new MqttServerOptions { MaxConnections = 1, MaxUnauthenticatedConnections = 10 });
        var silent = new List<RawMqttClient>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var socket = new RawMqttClient(MqttProtocolVersion.V311);
                await socket.ConnectAsync(broker.Port);
                silent.Add(socket);
            }

            await TestBroker.EventuallyAsync(() => broker.Server.UnauthenticatedCount == 3, "the three silent sockets are served");
            await using var client = await broker.ConnectRawAsync(MqttProtocolVersion.V500, "logs-in");

            Assert.Equal(1, broker.Server.ConnectionCount);
            Assert.Equal(3, broker.Server.UnauthenticatedCount);
        }
        finally
        {
            foreach (var socket in silent)
            {
                await socket.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_socket_past_MaxUnauthenticatedConnections_is_closed_at_once_and_logged_in_clients_go_on()
    {
        await using var broker = TestBroker.Start(new MqttServerOptions { MaxUnauthenticatedConnections = 2 });
        await using var client = await broker.ConnectRawAsync(MqttProtocolVersion.V311, "logged-in");
        await using var first = new RawMqttClient(MqttProtocolVersion.V311);
        await first.ConnectAsync(broker.Port);
        await using var second = new RawMqttClient(MqttProtocolVersion.V311);
        await second.ConnectAsync(broker.Port);
        await TestBroker.EventuallyAsync(() => broker.Server.UnauthenticatedCount == 2, "two silent sockets hold the places");

        await using var third = new RawMqttClient(MqttProtocolVersion.V311);
        await third.ConnectAsync(broker.Port);

        Assert.True(await IsClosedAsync(third), "the socket over the bound is closed");
        await client.SendAsync(PingReqPacket.Instance);
        Assert.IsType<PingRespPacket>(await client.ReceiveAsync());

        // A place given back (the socket logs in) admits the next one.
        await first.SendAsync(new ConnectPacket { ProtocolVersion = MqttProtocolVersion.V311, ClientId = "late", CleanStart = true });
        Assert.IsType<ConnAckPacket>(await first.ReceiveAsync());
        await TestBroker.EventuallyAsync(() => broker.Server.UnauthenticatedCount == 1, "the socket that logged in gave its place back");
        await using var fourth = await broker.ConnectRawAsync(MqttProtocolVersion.V500, "fourth");
    }

    [Fact]
    public async Task A_socket_that_sends_no_CONNECT_is_closed_when_the_deadline_passes_on_the_servers_clock()
    {
        var clock = new ManualClock();
        await using var broker = TestBroker.Start(new MqttServerOptions { ConnectTimeout = TimeSpan.FromSeconds(10) }, clock);
        await using var silent = new RawMqttClient(MqttProtocolVersion.V311);
        await silent.ConnectAsync(broker.Port);
        await TestBroker.EventuallyAsync(() => broker.Server.UnauthenticatedCount == 1, "the socket is served");
        await using var client = await broker.ConnectRawAsync(MqttProtocolVersion.V311, "logged-in", keepAlive: 0);

        clock.Advance(TimeSpan.FromSeconds(11));

        Assert.True(await IsClosedAsync(silent), "the silent socket is closed at its deadline");
        await TestBroker.EventuallyAsync(() => broker.Server.UnauthenticatedCount == 0, "its place is given back");
        await client.SendAsync(PingReqPacket.Instance);
        Assert.IsType<PingRespPacket>(await client.ReceiveAsync());
    }

    private static async Task<bool> IsClosedAsync(RawMqttClient socket)
    {
        try
        {
            return await socket.ReceiveAsync() is null;
        }
        catch (IOException)
        {
            // Reset rather than closed: the server dropped it without reading.
            return true;
        }
    }
}
