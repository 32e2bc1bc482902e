using Millwright.Mqtt.Packets;

namespace Millwright.Mqtt.Tests.Server;

/// <summary>Persistent sessions (3.1.1 clean session 0, 5.0 Session Expiry Interval, 4.1) and session take-over (3.1.4).</summary>
public sealed class SessionTests
{
    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task QoS_1_and_2_messages_published_while_a_persistent_client_is_away_are_delivered_when_it_returns(MqttProtocolVersion version)
    {
        string[] persistent = version == MqttProtocolVersion.V500 ? ["--id", "keeper", "--clean", "0", "--session-expiry", "300"] : ["--id", "keeper", "--clean", "0"];
        await using var broker = TestBroker.Start();
        await using (var first = PahoPeer.Start(broker.Port, version, [.. persistent, "--sub", "q/#:2"]))
        {
            Assert.Equal(0, (await first.WaitForEventAsync("connack")).GetProperty("session_present").GetInt32());
            await first.WaitForEventAsync("bye");
        }

        await TestBroker.EventuallyAsync(() => broker.Server.ConnectionCount == 0, "the client is away");
        await MosquittoClients.PublishAsync(broker.Port, version, "q/one", "1", 1);
        await MosquittoClients.PublishAsync(broker.Port, version, "q/two", "2", 2);

        await using var back = PahoPeer.Start(broker.Port, version, [.. persistent, "--expect", "2"]);
        Assert.Equal(1, (await back.WaitForEventAsync("connack")).GetProperty("session_present").GetInt32());
        var messages = await back.WaitForMessagesAsync(2);
        Assert.Equal([("q/one", "1", 1, false), ("q/two", "2", 2, false)], messages.Select(m => m.Core));
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task A_clean_session_starts_empty_and_leaves_nothing_behind(MqttProtocolVersion version)
    {
        await using var broker = TestBroker.Start();
        await using (var first = PahoPeer.Start(broker.Port, version, "--id", "cleaner", "--sub", "q/#:1"))
        {
            await first.WaitForEventAsync("bye");
        }

        await TestBroker.EventuallyAsync(() => broker.Server.SessionCount == 0, "the clean session is gone with its connection");
        await using var back = PahoPeer.Start(broker.Port, version, "--id", "cleaner", "--clean", "0");
        Assert.Equal(0, (await back.WaitForEventAsync("connack")).GetProperty("session_present").GetInt32());
    }

    [Fact]
    public async Task A_session_ends_when_its_expiry_interval_has_passed()
    {
        var clock = new ManualClock();
        await using var broker = TestBroker.Start(clock: clock);
        await using (var client = PahoPeer.Start(broker.Port, MqttProtocolVersion.V500, "--id", "short", "--session-expiry", "10", "--sub", "q/#:1"))
        {
            await client.WaitForEventAsync("bye");
        }

        await TestBroker.EventuallyAsync(() => broker.Server.ConnectionCount == 0, "the client is away");
        // The housekeeping loop runs on its own after each tick, so the end is awaited, not asserted at once.
        clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(1, broker.Server.SessionCount);
        clock.Advance(TimeSpan.FromSeconds(2));
        await TestBroker.EventuallyAsync(() => broker.Server.SessionCount == 0, "the expired session is gone");
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task A_second_connection_with_the_same_client_id_takes_the_session_over(MqttProtocolVersion version)
    {
        await using var broker = TestBroker.Start();
        await using var old = await broker.ConnectRawAsync(version, "twin");
        await old.SendAsync(new SubscribePacket { PacketId = 1, Subscriptions = [new Subscription("t/#", QualityOfService.AtLeastOnce)] });
        Assert.IsType<SubAckPacket>(await old.ReceiveAsync());

        await using var @new = await broker.ConnectRawAsync(version, "twin", cleanStart: false);

        // 5.0 tells the old connection why (3.14.2.1, 0x8E); 3.1.1 just closes it (3.1.4-3).
        var last = await old.ReceiveAsync();
        if (version == MqttProtocolVersion.V500)
        {
            Assert.Equal(ReasonCode.SessionTakenOver, Assert.IsType<DisconnectPacket>(last).ReasonCode);
            last = await old.ReceiveAsync();
        }

        Assert.Null(last);

        // The subscription came with the session.
        await MosquittoClients.PublishAsync(broker.Port, version, "t/x", "hello", 1);
        var publish = Assert.IsType<PublishPacket>(await @new.ReceiveAsync());
        Assert.Equal("t/x", publish.Topic);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task An_unacknowledged_delivery_is_sent_again_with_DUP_when_the_session_resumes(MqttProtocolVersion version)
    {
        var session = version == MqttProtocolVersion.V500 ? new MqttProperties { SessionExpiryInterval = 300 } : null;
        await using var broker = TestBroker.Start();
        ushort firstId;
        await using (var forgetful = await broker.ConnectRawAsync(version, "forgetful", session, cleanStart: false))
        {
            await forgetful.SubscribeAsync("d/#", QualityOfService.AtLeastOnce);
            await MosquittoClients.PublishAsync(broker.Port, version, "d/1", "once", 1);
            var first = Assert.IsType<PublishPacket>(await forgetful.ReceiveAsync());
            Assert.False(first.Dup);
            firstId = first.PacketId;
        }

        // 4.4: resent with the same packet id and DUP set, before anything new.
        await TestBroker.EventuallyAsync(() => broker.Server.ConnectionCount == 0, "the first connection is closed");
        await using var back = await broker.ConnectRawAsync(version, "forgetful", session, cleanStart: false);
        var again = Assert.IsType<PublishPacket>(await back.ReceiveAsync());
        Assert.Equal(("d/1", "once", firstId, true), (again.Topic, again.Text(), again.PacketId, again.Dup));
        await back.SendAsync(new PubAckPacket { PacketId = again.PacketId });
        Assert.Empty(await back.DrainAsync());
    }

    [Fact]
    public async Task A_session_expiry_raised_at_DISCONNECT_is_still_bounded_by_MaxSessionExpiry()
    {
        var clock = new ManualClock();
        await using var broker = TestBroker.Start(new Millwright.Mqtt.Server.MqttServerOptions { MaxSessionExpiry = TimeSpan.FromMinutes(1) }, clock);
        await using (var client = await broker.ConnectRawAsync(MqttProtocolVersion.V500, "forever", new MqttProperties { SessionExpiryInterval = 10 }))
        {
            // 0xFFFFFFFF means "never expires" (3.1.2.11.2); the server's bound applies here as at CONNECT.
            await client.SendAsync(new DisconnectPacket { Properties = new MqttProperties { SessionExpiryInterval = uint.MaxValue } });
            Assert.Empty(await client.ReceiveUntilClosedAsync());
        }

        await TestBroker.EventuallyAsync(() => broker.Server.ConnectionCount == 0, "the client is away");
        clock.Advance(TimeSpan.FromSeconds(61));
        await TestBroker.EventuallyAsync(() => broker.Server.SessionCount == 0, "the session has expired at the server's bound");
    }
}
