using System.Buffers;
using System.Diagnostics;
using System.Text;
using Millwright.Mqtt.Codec;
using Millwright.Mqtt.Packets;
using Millwright.Mqtt.Server;

namespace Millwright.Mqtt.Tests.Server;

/// <summary>
/// Plain TCP connections park in the broker's own readiness loop while they wait for their client (Linux): nothing is
/// lost or reordered across parks, a message to a parked subscriber is sent, and keep-alive, revocation and the
/// client's going away still close a parked connection.
/// </summary>
public sealed class ParkedConnectionTests
{
    /// <summary>Parking is the default (docs/mqtt.md); said here so that these tests keep it on whatever the default.</summary>
    private static readonly MqttServerOptions Parking = new() { ParkIdleSockets = true };

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task An_idle_connection_parks_without_dotnets_socket_machinery_and_is_served_after(MqttProtocolVersion version)
    {
        await using var broker = TestBroker.Start(Parking);
        await using var client = await broker.ConnectRawAsync(version, "parked");
        var connection = Assert.Single(broker.Server.Connections);
        await TestBroker.EventuallyAsync(() => connection.IsParked && connection.WriterIsFree, "parked, with no writer");
        Assert.Null(EpollSocketStreamTests.AsyncContextOf(connection.ParkableHandle!));

        for (var i = 0; i < 3; i++)
        {
            await client.SendAsync(PingReqPacket.Instance);
            Assert.IsType<PingRespPacket>(await client.ReceiveAsync());
            await TestBroker.EventuallyAsync(() => connection.IsParked, "parked again");
        }

        Assert.Null(EpollSocketStreamTests.AsyncContextOf(connection.ParkableHandle!));
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Messages_to_a_parked_mosquitto_sub_wake_it_and_arrive_whole_and_in_order(MqttProtocolVersion version)
    {
        await using var broker = TestBroker.Start(Parking);
        await using var subscriber = await MosquittoClients.SubscribeAsync(broker.Port, version, "park/#", 1);
        var expected = new List<string>();
        for (var round = 0; round < 4; round++)
        {
            await TestBroker.EventuallyAsync(() => broker.Server.Connections.All(c => c.IsParked && c.WriterIsFree), "the subscriber parked and idle");
            for (var i = 0; i < 50; i++)
            {
                var payload = $"{round}-{i}";
                expected.Add(payload);
                broker.Server.Publish("park/x", Encoding.UTF8.GetBytes(payload), QualityOfService.AtLeastOnce);
            }
        }

        var received = await MosquittoClients.WaitForMessagesAsync(subscriber, expected.Count);
        Assert.Equal(expected, received.Select(m => m.Payload));
    }

    [Fact]
    public async Task A_packet_cut_by_a_park_is_read_whole_and_the_packets_after_it_in_order()
    {
        await using var broker = TestBroker.Start(Parking);
        await using var subscriber = await broker.ConnectRawAsync(MqttProtocolVersion.V500, "cut-sub");
        await subscriber.SubscribeAsync("cut/#", QualityOfService.AtLeastOnce);
        await using var publisher = await broker.ConnectRawAsync(MqttProtocolVersion.V500, "cut-pub");
        var publisherConnection = broker.Server.Connections.Single(c => broker.Server.FindSession("cut-pub")?.Connection == c);

        var bytes = new ArrayBufferWriter<byte>();
        for (ushort id = 1; id <= 3; id++)
        {
            MqttEncoder.Encode(new PublishPacket { Topic = "cut/x", Payload = Enumerable.Repeat((byte)id, 300).ToArray(), QoS = QualityOfService.AtMostOnce }, MqttProtocolVersion.V500, bytes);
        }

        // Every cut point leaves the connection parked in the middle of a packet (a read of a partial packet waits).
        var all = bytes.WrittenSpan.ToArray();
        foreach (var cut in new[] { 1, 2, 150, 301, 305, all.Length - 1 })
        {
            await TestBroker.EventuallyAsync(() => publisherConnection.IsParked, "the publisher parked");
            await publisher.SendRawAsync(all[..cut]);
            await TestBroker.EventuallyAsync(() => publisherConnection.IsParked, $"parked after {cut} bytes");
            await publisher.SendRawAsync(all[cut..]);
            for (var id = 1; id <= 3; id++)
            {
                var publish = Assert.IsType<PublishPacket>(await subscriber.ReceiveAsync());
                Assert.Equal(Enumerable.Repeat((byte)id, 300), publish.Payload.ToArray());
            }
        }
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task A_parked_silent_client_is_closed_after_one_and_a_half_times_its_keep_alive(MqttProtocolVersion version)
    {
        var clock = new ManualClock();
        await using var broker = TestBroker.Start(Parking, clock: clock);
        await using var silent = await broker.ConnectRawAsync(version, "silent", keepAlive: 1);
        var connection = Assert.Single(broker.Server.Connections);
        await TestBroker.EventuallyAsync(() => connection.IsParked, "parked");

        // The server's one housekeeping timer, not a timer per connection, finds it past 1.5 s.
        clock.Advance(TimeSpan.FromSeconds(1));
        clock.Advance(TimeSpan.FromSeconds(1));
        var last = await silent.ReceiveAsync();
        if (version == MqttProtocolVersion.V500)
        {
            Assert.Equal(ReasonCode.KeepAliveTimeout, Assert.IsType<DisconnectPacket>(last).ReasonCode);
            last = await silent.ReceiveAsync();
        }

        Assert.Null(last);
        await TestBroker.EventuallyAsync(() => broker.Server.ConnectionCount == 0 && connection.ParkableHandle!.IsClosed, "closed and its socket with it");
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Revoking_a_parked_clients_access_closes_it_at_once(MqttProtocolVersion version)
    {
        await using var broker = TestBroker.Start(Parking);
        await using var client = await broker.ConnectRawAsync(version, "revoked", keepAlive: 600);
        var connection = Assert.Single(broker.Server.Connections);
        await TestBroker.EventuallyAsync(() => connection.IsParked, "parked");

        var watch = Stopwatch.StartNew();
        Assert.True(broker.Server.Disconnect(broker.Server.Clients.Single(), ReasonCode.NotAuthorized, "key revoked"));
        var last = await client.ReceiveAsync();
        if (version == MqttProtocolVersion.V500)
        {
            var goodbye = Assert.IsType<DisconnectPacket>(last);
            Assert.Equal(ReasonCode.NotAuthorized, goodbye.ReasonCode);
            last = await client.ReceiveAsync();
        }

        Assert.Null(last);
        // Not at its keep-alive (15 min away) nor at the raw client's 10 s patience: the parked read was ended at once.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"closed after {watch.Elapsed}");
        await TestBroker.EventuallyAsync(() => broker.Server.ConnectionCount == 0, "closed");
    }

    [Fact]
    public async Task A_client_that_goes_away_while_parked_is_closed_and_leaves_the_loop()
    {
        await using var broker = TestBroker.Start(Parking);
        var client = await broker.ConnectRawAsync(MqttProtocolVersion.V500, "gone");
        var connection = Assert.Single(broker.Server.Connections);
        await TestBroker.EventuallyAsync(() => connection.IsParked, "parked");
        var handle = connection.ParkableHandle!;

        await client.DisposeAsync();
        await TestBroker.EventuallyAsync(() => broker.Server.ConnectionCount == 0 && handle.IsClosed, "closed, its socket too");
        Assert.Null(broker.Server.FindSession("gone"));
    }

    [Fact]
    public async Task With_parking_off_connections_use_dotnets_socket_operations()
    {
        await using var broker = TestBroker.Start(new MqttServerOptions { ParkIdleSockets = false });
        await using var client = await broker.ConnectRawAsync(MqttProtocolVersion.V500, "unparked");
        var connection = Assert.Single(broker.Server.Connections);
        Assert.Null(connection.ParkableHandle);

        await client.SendAsync(PingReqPacket.Instance);
        Assert.IsType<PingRespPacket>(await client.ReceiveAsync());
        Assert.False(connection.IsParked);
    }
}
