using Millwright.Mqtt.Packets;
using Millwright.Mqtt.Server;

namespace Millwright.Mqtt.Tests.Server;

/// <summary><see cref="MqttServer.Disconnect"/>: how the application ends a client's access (a revoked key, a deleted device).</summary>
public sealed class DisconnectTests
{
    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Disconnect_closes_the_connection_and_drops_its_session_and_subscriptions(MqttProtocolVersion version)
    {
        await using var broker = TestBroker.Start();
        var expiry = version == MqttProtocolVersion.V500 ? new MqttProperties { SessionExpiryInterval = 3600 } : null;
        await using var watcher = await broker.ConnectRawAsync(version, "watcher", expiry, cleanStart: false);
        await watcher.SubscribeAsync("plant/#", QualityOfService.AtLeastOnce);
        await using var bystander = await broker.ConnectRawAsync(version, "bystander");
        var client = broker.Server.Clients.Single(c => c.ClientId == "watcher");

        Assert.True(broker.Server.Disconnect(client, ReasonCode.NotAuthorized, "key revoked"));

        var last = await watcher.ReceiveAsync();
        if (version == MqttProtocolVersion.V500)
        {
            // 4.13: a 5.0 client is told why.
            var goodbye = Assert.IsType<DisconnectPacket>(last);
            Assert.Equal(ReasonCode.NotAuthorized, goodbye.ReasonCode);
            Assert.Equal("key revoked", goodbye.Properties?.ReasonString);
            last = await watcher.ReceiveAsync();
        }

        Assert.Null(last);
        await TestBroker.EventuallyAsync(() => broker.Server.ConnectionCount == 1, "only the bystander is connected");
        Assert.Null(broker.Server.FindSession("watcher"));
        Assert.DoesNotContain(broker.Server.Clients, c => c.ClientId == "watcher");

        // Nothing collects for the dropped session: a persistent reconnect finds no session and no messages.
        broker.Server.Publish("plant/line1", "after"u8.ToArray(), QualityOfService.AtLeastOnce);
        await using var again = new RawMqttClient(version);
        await again.ConnectAsync(broker.Port);
        await again.SendAsync(new ConnectPacket { ProtocolVersion = version, ClientId = "watcher", CleanStart = false, Properties = expiry });
        Assert.False(Assert.IsType<ConnAckPacket>(await again.ReceiveAsync()).SessionPresent);
        await again.SendAsync(PingReqPacket.Instance);
        Assert.IsType<PingRespPacket>(await again.ReceiveAsync());
        await bystander.SendAsync(PingReqPacket.Instance);
        Assert.IsType<PingRespPacket>(await bystander.ReceiveAsync());
    }

    [Fact]
    public async Task Disconnect_of_a_client_whose_session_a_newer_connection_took_over_leaves_the_newer_one_alone()
    {
        await using var broker = TestBroker.Start();
        await using var old = await broker.ConnectRawAsync(MqttProtocolVersion.V500, "machine");
        var oldClient = broker.Server.Clients.Single(c => c.ClientId == "machine");
        await using var newer = await broker.ConnectRawAsync(MqttProtocolVersion.V500, "machine");

        Assert.False(broker.Server.Disconnect(oldClient, ReasonCode.NotAuthorized));

        await newer.SendAsync(PingReqPacket.Instance);
        Assert.IsType<PingRespPacket>(await newer.ReceiveAsync());
    }

    [Fact]
    public async Task Disconnect_publishes_no_will_for_a_client_that_lost_its_access()
    {
        await using var broker = TestBroker.Start();
        await using var listener = await broker.ConnectRawAsync(MqttProtocolVersion.V311, "listener");
        await listener.SubscribeAsync("wills/#", QualityOfService.AtMostOnce);
        await using var device = new RawMqttClient(MqttProtocolVersion.V311);
        await device.ConnectAsync(broker.Port);
        await device.SendAsync(new ConnectPacket
        {
            ProtocolVersion = MqttProtocolVersion.V311, ClientId = "device", CleanStart = true,
            Will = new MqttWill { Topic = "wills/device", Payload = "gone"u8.ToArray() },
        });
        Assert.IsType<ConnAckPacket>(await device.ReceiveAsync());

        Assert.True(broker.Server.Disconnect(broker.Server.Clients.Single(c => c.ClientId == "device"), ReasonCode.NotAuthorized));
        Assert.Null(await device.ReceiveAsync());
        await TestBroker.EventuallyAsync(() => broker.Server.ConnectionCount == 1, "the device is gone");

        // A marker published after the close arrives; the will, had it gone out, would have come before it.
        broker.Server.Publish("wills/marker", "marker"u8.ToArray(), QualityOfService.AtMostOnce);
        var next = Assert.IsType<PublishPacket>(await listener.ReceiveAsync());
        Assert.Equal("wills/marker", next.Topic);
    }
}
