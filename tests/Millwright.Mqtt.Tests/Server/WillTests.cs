using Millwright.Mqtt.Packets;

namespace Millwright.Mqtt.Tests.Server;

/// <summary>Will messages (3.1.2.5, 3.1.3.2, 3.14.4): on an abnormal close, not on DISCONNECT, and the 5.0 Will Delay Interval.</summary>
public sealed class WillTests
{
    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task The_will_is_published_when_the_client_process_is_killed(MqttProtocolVersion version)
    {
        await using var broker = TestBroker.Start();
        await using var watcher = await MosquittoClients.SubscribeAsync(broker.Port, version, "will/#", 1);
        await using var device = PahoPeer.Start(broker.Port, version, "--id", "dev-1", "--will", "will/dev-1", "offline", "1", "0", "--end", "hang");
        await device.WaitForEventAsync("hanging");

        await device.Process.KillAsync();

        var will = Assert.Single(await MosquittoClients.WaitForMessagesAsync(watcher, 1));
        Assert.Equal(("will/dev-1", "offline", 1, false), will.Core);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task No_will_is_published_after_a_normal_disconnect(MqttProtocolVersion version)
    {
        await using var broker = TestBroker.Start();
        await using var watcher = await MosquittoClients.SubscribeAsync(broker.Port, version, "will/#", 1);
        await using (var device = PahoPeer.Start(broker.Port, version, "--id", "dev-2", "--will", "will/dev-2", "offline", "1", "0"))
        {
            await device.WaitForEventAsync("bye");
        }

        // Once the server has closed the device's connection, its will would already have been routed.
        await TestBroker.EventuallyAsync(() => broker.Server.ConnectionCount == 1, "the device's connection is closed");
        await MosquittoClients.PublishAsync(broker.Port, version, "will/end", "sentinel", 1);

        var only = Assert.Single(await MosquittoClients.WaitForMessagesAsync(watcher, 1));
        Assert.Equal("will/end", only.Topic);
    }

    [Fact]
    public async Task A_delayed_will_is_published_only_when_its_delay_has_passed()
    {
        var clock = new ManualClock();
        await using var broker = TestBroker.Start(clock: clock);
        await using var watcher = await MosquittoClients.SubscribeAsync(broker.Port, MqttProtocolVersion.V500, "will/#", 1);
        await using var device = PahoPeer.Start(broker.Port, MqttProtocolVersion.V500,
            "--id", "dev-3", "--session-expiry", "300", "--will", "will/dev-3", "offline", "1", "0", "--will-delay", "30", "--end", "hang");
        await device.WaitForEventAsync("hanging");
        await device.Process.KillAsync();
        await WaitForWillTimerAsync(broker, clock);

        clock.Advance(TimeSpan.FromSeconds(29));
        await MosquittoClients.PublishAsync(broker.Port, MqttProtocolVersion.V500, "will/early", "sentinel", 1);
        Assert.Equal("will/early", Assert.Single(await MosquittoClients.WaitForMessagesAsync(watcher, 1)).Topic);

        clock.Advance(TimeSpan.FromSeconds(2));
        var messages = await MosquittoClients.WaitForMessagesAsync(watcher, 2);
        Assert.Equal(("will/dev-3", "offline", 1, false), messages[1].Core);
    }

    [Fact]
    public async Task A_delayed_will_is_cancelled_when_the_client_reconnects_in_time()
    {
        var clock = new ManualClock();
        await using var broker = TestBroker.Start(clock: clock);
        await using var watcher = await MosquittoClients.SubscribeAsync(broker.Port, MqttProtocolVersion.V500, "will/#", 1);
        await using var device = PahoPeer.Start(broker.Port, MqttProtocolVersion.V500,
            "--id", "dev-4", "--session-expiry", "300", "--will", "will/dev-4", "offline", "1", "0", "--will-delay", "30", "--end", "hang");
        await device.WaitForEventAsync("hanging");
        await device.Process.KillAsync();
        await WaitForWillTimerAsync(broker, clock);

        clock.Advance(TimeSpan.FromSeconds(10));
        await using (var back = PahoPeer.Start(broker.Port, MqttProtocolVersion.V500, "--id", "dev-4", "--clean", "0", "--session-expiry", "300"))
        {
            Assert.Equal(1, (await back.WaitForEventAsync("connack")).GetProperty("session_present").GetInt32());
            await back.WaitForEventAsync("bye");
        }

        clock.Advance(TimeSpan.FromSeconds(60));
        await MosquittoClients.PublishAsync(broker.Port, MqttProtocolVersion.V500, "will/end", "sentinel", 1);
        Assert.Equal("will/end", Assert.Single(await MosquittoClients.WaitForMessagesAsync(watcher, 1)).Topic);
    }

    [Fact]
    public async Task A_delayed_will_is_not_published_when_a_new_connection_takes_the_session_over()
    {
        var clock = new ManualClock();
        await using var broker = TestBroker.Start(clock: clock);
        await using var watcher = await MosquittoClients.SubscribeAsync(broker.Port, MqttProtocolVersion.V500, "will/#", 1);
        var session = new MqttProperties { SessionExpiryInterval = 300 };
        await using var old = await ConnectWithDelayedWillAsync(broker, "dev-5");

        // 3.1.3.2.2: a new connection to the session before the delay has passed means no will.
        await using var @new = await broker.ConnectRawAsync(MqttProtocolVersion.V500, "dev-5", session, cleanStart: false, keepAlive: 300);
        Assert.Equal(ReasonCode.SessionTakenOver, Assert.IsType<DisconnectPacket>(Assert.Single(await old.ReceiveUntilClosedAsync())).ReasonCode);
        await TestBroker.EventuallyAsync(() => broker.Server.ConnectionCount == 2, "the old connection is closed");

        clock.Advance(TimeSpan.FromSeconds(31));
        await MosquittoClients.PublishAsync(broker.Port, MqttProtocolVersion.V500, "will/end", "sentinel", 1);
        Assert.Equal("will/end", Assert.Single(await MosquittoClients.WaitForMessagesAsync(watcher, 1)).Topic);
    }

    [Fact]
    public async Task A_delayed_will_is_published_at_once_when_a_clean_start_ends_its_session()
    {
        var clock = new ManualClock();
        await using var broker = TestBroker.Start(clock: clock);
        await using var watcher = await MosquittoClients.SubscribeAsync(broker.Port, MqttProtocolVersion.V500, "will/#", 1);
        await using var old = await ConnectWithDelayedWillAsync(broker, "dev-6");

        // A clean start ends the old session, and a will is published when its session ends, delay or not (3.1.3.2.2).
        await using var @new = await broker.ConnectRawAsync(MqttProtocolVersion.V500, "dev-6", cleanStart: true, keepAlive: 300);
        Assert.Equal(ReasonCode.SessionTakenOver, Assert.IsType<DisconnectPacket>(Assert.Single(await old.ReceiveUntilClosedAsync())).ReasonCode);

        Assert.Equal("will/dev-6", Assert.Single(await MosquittoClients.WaitForMessagesAsync(watcher, 1)).Topic);
    }

    [Fact]
    public async Task DISCONNECT_with_reason_0x04_asks_for_the_will_to_be_published()
    {
        await using var broker = TestBroker.Start();
        await using var watcher = await MosquittoClients.SubscribeAsync(broker.Port, MqttProtocolVersion.V500, "will/#", 1);
        await using var client = new RawMqttClient(MqttProtocolVersion.V500);
        await client.ConnectAsync(broker.Port);
        await client.SendAsync(new ConnectPacket { ProtocolVersion = MqttProtocolVersion.V500, ClientId = "dev-7", Will = new MqttWill { Topic = "will/dev-7", Payload = "bye"u8.ToArray() } });
        Assert.IsType<ConnAckPacket>(await client.ReceiveAsync());

        await client.SendAsync(new DisconnectPacket { ReasonCode = ReasonCode.DisconnectWithWillMessage });

        Assert.Equal(("will/dev-7", "bye"), Assert.Single(await MosquittoClients.WaitForMessagesAsync(watcher, 1)) is var m ? (m.Topic, m.Payload) : default);
    }

    private static async Task<RawMqttClient> ConnectWithDelayedWillAsync(TestBroker broker, string clientId)
    {
        var will = new MqttWill { Topic = $"will/{clientId}", Payload = "offline"u8.ToArray(), QoS = QualityOfService.AtLeastOnce, Properties = new MqttProperties { WillDelayInterval = 30 } };
        var client = new RawMqttClient(MqttProtocolVersion.V500);
        await client.ConnectAsync(broker.Port);
        await client.SendAsync(new ConnectPacket { ProtocolVersion = MqttProtocolVersion.V500, ClientId = clientId, KeepAliveSeconds = 300, Will = will, Properties = new MqttProperties { SessionExpiryInterval = 300 } });
        Assert.IsType<ConnAckPacket>(await client.ReceiveAsync());
        return client;
    }

    /// <summary>The closed connection has handed its will to a timer (the housekeeping loop holds the other one).</summary>
    private static async Task WaitForWillTimerAsync(TestBroker broker, ManualClock clock)
    {
        await TestBroker.EventuallyAsync(() => broker.Server.ConnectionCount == 1, "the killed client's connection is closed");
        await TestBroker.EventuallyAsync(() => clock.ActiveTimers >= 2, "the will delay timer is started");
    }
}
