using Millwright.Mqtt.Packets;

namespace Millwright.Mqtt.Tests.Server;

/// <summary>The MQTT 5.0 properties that matter in practice, against real clients and our codec as a precise one.</summary>
public sealed class V5FeatureTests
{
    private const MqttProtocolVersion V5 = MqttProtocolVersion.V500;

    [Fact]
    public async Task An_expired_message_is_not_delivered_and_a_live_one_carries_its_remaining_expiry()
    {
        var clock = new ManualClock();
        await using var broker = TestBroker.Start(clock: clock);
        await using (var away = await broker.ConnectRawAsync(V5, "away", new MqttProperties { SessionExpiryInterval = 300 }))
        {
            await away.SubscribeAsync("e/#", QualityOfService.AtLeastOnce);
            await away.SendAsync(new DisconnectPacket());
        }

        await TestBroker.EventuallyAsync(() => broker.Server.ConnectionCount == 0, "the subscriber is away");
        await MosquittoClients.PublishAsync(broker.Port, V5, "e/short", "gone", 1, false, "-D", "publish", "message-expiry-interval", "5");
        await MosquittoClients.PublishAsync(broker.Port, V5, "e/long", "kept", 1, false, "-D", "publish", "message-expiry-interval", "600");
        clock.Advance(TimeSpan.FromSeconds(10));

        await using var back = await broker.ConnectRawAsync(V5, "away", new MqttProperties { SessionExpiryInterval = 300 }, cleanStart: false);
        var publish = Assert.IsType<PublishPacket>(Assert.Single(await back.DrainAsync()));
        Assert.Equal("e/long", publish.Topic);
        Assert.Equal(590u, publish.Properties!.MessageExpiryInterval);
    }

    [Fact]
    public async Task Topic_aliases_from_a_client_stand_for_the_topic_they_were_set_with()
    {
        await using var broker = TestBroker.Start();
        await using var subscriber = PahoPeer.Start(broker.Port, V5, "--sub", "alias/#:1", "--expect", "2");
        await subscriber.ReadyAsync();
        await using var publisher = await broker.ConnectRawAsync(V5, "aliaser");

        await publisher.PublishAtLeastOnceAsync("alias/a/rather/long/topic", "first", new MqttProperties { TopicAlias = 3 });
        await publisher.PublishAtLeastOnceAsync("", "second", new MqttProperties { TopicAlias = 3 });

        Assert.Equal([("alias/a/rather/long/topic", "first"), ("alias/a/rather/long/topic", "second")],
            (await subscriber.WaitForMessagesAsync(2)).Select(m => (m.Topic, m.Payload)));
    }

    [Fact]
    public async Task A_topic_alias_above_the_servers_maximum_closes_the_connection_with_0x94()
    {
        await using var broker = TestBroker.Start();
        await using var publisher = await broker.ConnectRawAsync(V5, "greedy");
        await publisher.SendAsync(new PublishPacket { Topic = "a", Payload = "x"u8.ToArray(), Properties = new MqttProperties { TopicAlias = 65 } });

        var disconnect = Assert.IsType<DisconnectPacket>(Assert.Single(await publisher.ReceiveUntilClosedAsync()));
        Assert.Equal(ReasonCode.TopicAliasInvalid, disconnect.ReasonCode);
    }

    [Fact]
    public async Task User_properties_pass_through_in_their_order()
    {
        await using var broker = TestBroker.Start();
        await using var subscriber = PahoPeer.Start(broker.Port, V5, "--sub", "up/#:1", "--expect", "1");
        await subscriber.ReadyAsync();
        await using var publisher = PahoPeer.Start(broker.Port, V5, "--pub", "up/1", "1", "x", "0",
            "--user-prop", "site", "plant-2", "--user-prop", "line", "3", "--user-prop", "site", "again");
        await publisher.WaitForEventAsync("bye");

        var message = Assert.Single(await subscriber.WaitForMessagesAsync(1));
        Assert.Equal([KeyValuePair.Create("site", "plant-2"), KeyValuePair.Create("line", "3"), KeyValuePair.Create("site", "again")], message.UserProperties);
    }

    [Fact]
    public async Task A_shared_subscription_gives_each_message_to_one_member_of_the_group()
    {
        await using var broker = TestBroker.Start();
        await using var one = PahoPeer.Start(broker.Port, V5, "--sub", "$share/g/s/#:1", "--end", "hang");
        await using var two = PahoPeer.Start(broker.Port, V5, "--sub", "$share/g/s/#:1", "--end", "hang");
        await using var everything = PahoPeer.Start(broker.Port, V5, "--sub", "s/#:1", "--expect", "10");
        await Task.WhenAll(one.ReadyAsync(), two.ReadyAsync(), everything.ReadyAsync());

        await using var publisher = await broker.ConnectRawAsync(V5, "producer");
        var sent = Enumerable.Range(0, 10).Select(i => $"m{i}").ToList();
        foreach (var payload in sent)
        {
            await publisher.PublishAtLeastOnceAsync("s/work", payload);
        }

        await TestBroker.EventuallyAsync(() => one.Messages.Count + two.Messages.Count >= 10, "the group has received ten messages");
        Assert.NotEmpty(one.Messages);
        Assert.NotEmpty(two.Messages);
        Assert.Equal(sent, one.Messages.Concat(two.Messages).Select(m => m.Payload).Order(StringComparer.Ordinal));
        Assert.Equal(sent, (await everything.WaitForMessagesAsync(10)).Select(m => m.Payload));
    }

    [Fact]
    public async Task The_server_keeps_no_more_unacknowledged_deliveries_in_flight_than_the_clients_receive_maximum()
    {
        await using var broker = TestBroker.Start();
        await using var slow = await broker.ConnectRawAsync(V5, "slow", new MqttProperties { ReceiveMaximum = 2 });
        await slow.SubscribeAsync("rm/#", QualityOfService.AtLeastOnce);
        await using var publisher = await broker.ConnectRawAsync(V5, "fast");
        for (var i = 0; i < 5; i++)
        {
            await publisher.PublishAtLeastOnceAsync("rm/x", $"{i}");
        }

        var window = (await slow.DrainAsync()).Cast<PublishPacket>().ToList();
        Assert.Equal(["0", "1"], window.Select(p => p.Text()));

        await slow.SendAsync(new PubAckPacket { PacketId = window[0].PacketId });
        var next = (await slow.DrainAsync()).Cast<PublishPacket>().ToList();
        Assert.Equal(["2"], next.Select(p => p.Text()));

        foreach (var publish in window.Skip(1).Concat(next))
        {
            await slow.SendAsync(new PubAckPacket { PacketId = publish.PacketId });
        }

        Assert.Equal(["3", "4"], (await slow.DrainAsync()).Cast<PublishPacket>().Select(p => p.Text()));
    }

    [Fact]
    public async Task A_message_larger_than_the_clients_maximum_packet_size_is_not_sent_to_it()
    {
        await using var broker = TestBroker.Start();
        await using var small = await broker.ConnectRawAsync(V5, "small", new MqttProperties { MaximumPacketSize = 100 });
        await small.SubscribeAsync("mp/#", QualityOfService.AtLeastOnce);
        await using var publisher = await broker.ConnectRawAsync(V5, "big");
        await publisher.PublishAtLeastOnceAsync("mp/big", new string('x', 500));
        await publisher.PublishAtLeastOnceAsync("mp/small", "fits");

        var publish = Assert.IsType<PublishPacket>(Assert.Single(await small.DrainAsync()));
        Assert.Equal("mp/small", publish.Topic);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task After_unsubscribe_a_client_no_longer_receives_from_that_filter(MqttProtocolVersion version)
    {
        await using var broker = TestBroker.Start();
        await using var client = await broker.ConnectRawAsync(version, "leaver");
        await client.SubscribeAsync("u/#", QualityOfService.AtLeastOnce);
        await client.SubscribeAsync("v/#", QualityOfService.AtMostOnce);

        await client.SendAsync(new UnsubscribePacket { PacketId = 9, TopicFilters = ["u/#", "never/subscribed"] });
        var ack = Assert.IsType<UnsubAckPacket>(await client.ReceiveAsync());
        Assert.Equal(9, ack.PacketId);
        if (version == MqttProtocolVersion.V500)
        {
            Assert.Equal([ReasonCode.Success, ReasonCode.NoSubscriptionExisted], ack.ReasonCodes);
        }

        await using var publisher = PahoPeer.Start(broker.Port, version, "--pub", "u/1", "1", "dropped", "0", "--pub", "v/1", "1", "kept", "0");
        await publisher.WaitForEventAsync("bye");
        var publish = Assert.IsType<PublishPacket>(await client.ReceiveAsync());
        Assert.Equal("v/1", publish.Topic);
    }
}
