using System.Net;
using System.Net.Sockets;
using Millwright.Mqtt.Packets;
using Millwright.Mqtt.Server;

namespace Millwright.Mqtt.Tests.Server;

/// <summary>The broker's limits: what one client can make the server hold, and that it cannot stall the others.</summary>
public sealed class LimitTests
{
    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task A_connection_over_MaxConnections_is_refused_as_server_busy_until_one_closes(MqttProtocolVersion version)
    {
        await using var broker = TestBroker.Start(new MqttServerOptions { MaxConnections = 2 });
        await using var one = await broker.ConnectRawAsync(version, "one");
        await using (var two = await broker.ConnectRawAsync(version, "two"))
        {
            await using var three = new RawMqttClient(version);
            await three.ConnectAsync(broker.Port);
            await three.SendAsync(new ConnectPacket { ProtocolVersion = version, ClientId = "three" });

            // 5.0: 0x89 Server busy; 3.1.1 has no such code and maps it to 3, Server unavailable (3.2.2.3).
            var refusal = Assert.IsType<ConnAckPacket>(Assert.Single(await three.ReceiveUntilClosedAsync()));
            Assert.Equal(version == MqttProtocolVersion.V500 ? ReasonCode.ServerBusy : ReasonCode.ServerUnavailable, refusal.ReasonCode);
        }

        await TestBroker.EventuallyAsync(() => broker.Server.ConnectionCount == 1, "the second connection is closed");
        await using var four = await broker.ConnectRawAsync(version, "four");
        await one.SendAsync(PingReqPacket.Instance);
        Assert.IsType<PingRespPacket>(await one.ReceiveAsync());
    }

    [Fact]
    public async Task A_subscriber_that_never_reads_holds_at_most_MaxQueuedMessages_and_does_not_slow_a_fast_one()
    {
        const int maxQueued = 50;
        const int rounds = 100;
        const int perRound = 20;
        await using var broker = TestBroker.Start(new MqttServerOptions { MaxQueuedMessages = maxQueued });
        await using var stalled = await broker.ConnectRawAsync(MqttProtocolVersion.V311, "stalled");
        await stalled.SubscribeAsync("load/#", QualityOfService.AtLeastOnce);
        await using var fast = await broker.ConnectRawAsync(MqttProtocolVersion.V311, "fast");
        await fast.SubscribeAsync("load/#", QualityOfService.AtMostOnce);
        await using var publisher = await broker.ConnectRawAsync(MqttProtocolVersion.V311, "publisher");

        // 2,000 messages of 8 KB (16 MB) against a stalled reader; the fast one must get every one of them.
        var payload = new string('x', 8 * 1024);
        for (var round = 0; round < rounds; round++)
        {
            for (var i = 0; i < perRound; i++)
            {
                await publisher.PublishAtLeastOnceAsync("load/x", payload);
            }

            for (var i = 0; i < perRound; i++)
            {
                Assert.IsType<PublishPacket>(await fast.ReceiveAsync());
            }
        }

        var session = broker.Server.FindSession("stalled")!;
        Assert.InRange(session.QueuedCount, 1, maxQueued);
        Assert.True(session.Dropped > 0, "a stalled subscriber's queue is bounded: the excess is dropped and counted");
        Assert.True(session.Dropped + session.QueuedCount >= rounds * perRound - maxQueued - (8 * 1024 * 1024 / payload.Length),
            $"only kernel buffers and the queue may hold the stalled subscriber's messages (dropped {session.Dropped}, queued {session.QueuedCount})");
    }

    [Fact]
    public async Task A_publisher_over_MaxPublishRate_is_slowed_down_not_cut_off_and_others_are_unaffected()
    {
        var clock = new ManualClock();
        await using var broker = TestBroker.Start(new MqttServerOptions { MaxPublishRate = 10 }, clock);
        await using var publisher = await broker.ConnectRawAsync(MqttProtocolVersion.V500, "chatty");
        await using var other = await broker.ConnectRawAsync(MqttProtocolVersion.V500, "other");

        // A second's worth is the burst.
        for (var i = 0; i < 10; i++)
        {
            await publisher.PublishAtLeastOnceAsync("rate/x", $"{i}");
        }

        // The eleventh waits for a token: the server stops reading the publisher until the clock moves on.
        var eleventh = publisher.PublishAtLeastOnceAsync("rate/x", "10");
        await TestBroker.EventuallyAsync(() => clock.ActiveTimers >= 2, "the server holds the publisher back");
        Assert.False(eleventh.IsCompleted);
        await other.SendAsync(PingReqPacket.Instance);
        Assert.IsType<PingRespPacket>(await other.ReceiveAsync());

        clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(ReasonCode.Success, (await eleventh).ReasonCode);
    }

    [Fact]
    public async Task A_client_that_sends_without_reading_its_answers_is_not_read_further_than_a_bounded_backlog()
    {
        const int pings = 300_000;
        await using var broker = TestBroker.Start();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await socket.ConnectAsync(IPAddress.Loopback, broker.Port);
        await socket.SendAsync(new byte[] { 0x10, 0x0C, 0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 0x04, 0x02, 0x00, 0x3C, 0x00, 0x00 });
        var connAck = new byte[4];
        Assert.Equal(4, await socket.ReceiveAsync(connAck));

        // 300,000 PINGREQs, none of whose PINGRESPs are read while they go out.
        var flood = new byte[2 * pings];
        for (var i = 0; i < flood.Length; i += 2)
        {
            flood[i] = 0xC0;
        }

        var connection = Assert.Single(broker.Server.Connections);
        var maxBacklog = 0;
        var sending = socket.SendAsync(flood);
        await TestBroker.EventuallyAsync(
            () => (maxBacklog = Math.Max(maxBacklog, connection.ControlBacklog)) >= 1024 || sending.IsCompleted,
            "the server has read as far as it will");

        // Now read every answer, watching the server's backlog as the writer catches up.
        var received = 0L;
        var buffer = new byte[64 * 1024];
        while (received < 2L * pings)
        {
            maxBacklog = Math.Max(maxBacklog, connection.ControlBacklog);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            Assert.True(read > 0, "the server closed the connection");
            received += read;
        }

        await sending;
        Assert.InRange(maxBacklog, 0, 1024 + 64);
    }

    [Fact]
    public async Task A_publisher_held_back_by_MaxPublishRate_longer_than_its_keep_alive_is_not_disconnected()
    {
        var clock = new ManualClock();
        await using var broker = TestBroker.Start(new MqttServerOptions { MaxPublishRate = 1 }, clock);
        await using var publisher = await broker.ConnectRawAsync(MqttProtocolVersion.V500, "steady", keepAlive: 2);

        // Six publishes at once: one is the burst, the others wait a second each, five seconds in all (> 1.5 x 2 s).
        for (ushort id = 1; id <= 6; id++)
        {
            await publisher.SendAsync(new PublishPacket { Topic = "rate/k", Payload = "p"u8.ToArray(), QoS = QualityOfService.AtLeastOnce, PacketId = id });
        }

        Assert.IsType<PubAckPacket>(await publisher.ReceiveAsync());
        for (var second = 1; second <= 5; second++)
        {
            await TestBroker.EventuallyAsync(() => clock.ActiveTimers >= 2, "the server holds the publisher back");
            clock.Advance(TimeSpan.FromSeconds(1));
            Assert.IsType<PubAckPacket>(await publisher.ReceiveAsync());
        }
    }

    [Fact]
    public async Task A_client_whose_publish_the_gate_holds_longer_than_its_keep_alive_is_not_disconnected()
    {
        var clock = new ManualClock();
        var gate = new FailingGate();
        await using var broker = TestBroker.Start(clock: clock, gate: gate);
        await using var publisher = await broker.ConnectRawAsync(MqttProtocolVersion.V500, "patient", keepAlive: 2);

        await publisher.SendAsync(new PublishPacket { Topic = "slow/x", Payload = "p"u8.ToArray(), QoS = QualityOfService.AtLeastOnce, PacketId = 1 });
        await gate.Entered.Task.WaitAsync(Eventually.DefaultPatience);
        clock.Advance(TimeSpan.FromSeconds(4));
        gate.Release.SetResult();

        // The platform holds PUBACK while its pipeline is full; that is the server's delay, not the client's silence.
        Assert.IsType<PubAckPacket>(await publisher.ReceiveAsync());
        await publisher.SendAsync(PingReqPacket.Instance);
        Assert.IsType<PingRespPacket>(await publisher.ReceiveAsync());
    }
}
