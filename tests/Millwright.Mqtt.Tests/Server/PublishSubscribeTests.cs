namespace Millwright.Mqtt.Tests.Server;

/// <summary>
/// Our broker with third-party clients on both ends (paho-mqtt and mosquitto_pub/sub), in MQTT 3.1.1 and 5.0:
/// QoS 0, 1 and 2 in both directions, wildcards and '$' topics (4.7), retained messages (3.3.1.3).
/// </summary>
public sealed class PublishSubscribeTests
{
    public static TheoryData<MqttProtocolVersion, int> VersionsAndQoS()
    {
        var data = new TheoryData<MqttProtocolVersion, int>();
        foreach (var version in new[] { MqttProtocolVersion.V311, MqttProtocolVersion.V500 })
        {
            for (var qos = 0; qos <= 2; qos++)
            {
                data.Add(version, qos);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(VersionsAndQoS))]
    public async Task Paho_publishes_and_mosquitto_sub_receives_at_each_QoS(MqttProtocolVersion version, int qos)
    {
        await using var broker = TestBroker.Start();
        await using var subscriber = await MosquittoClients.SubscribeAsync(broker.Port, version, "plant/+/temp", qos);
        await using var publisher = PahoPeer.Start(broker.Port, version, "--pub", "plant/a/temp", $"{qos}", "21.5", "0");
        await publisher.WaitForEventAsync("bye");

        var message = Assert.Single(await MosquittoClients.WaitForMessagesAsync(subscriber, 1));
        Assert.Equal(("plant/a/temp", "21.5", qos, false), message.Core);
    }

    [Theory]
    [MemberData(nameof(VersionsAndQoS))]
    public async Task Mosquitto_pub_publishes_and_paho_receives_at_each_QoS(MqttProtocolVersion version, int qos)
    {
        await using var broker = TestBroker.Start();
        await using var subscriber = PahoPeer.Start(broker.Port, version, "--sub", $"plant/#:{qos}", "--expect", "1");
        await subscriber.ReadyAsync();
        await MosquittoClients.PublishAsync(broker.Port, version, "plant/b/pressure", "3.2", qos);

        // "bye" comes after paho has finished the QoS handshake of the delivery and disconnected.
        await subscriber.WaitForEventAsync("bye");
        var message = Assert.Single(subscriber.Messages);
        Assert.Equal(("plant/b/pressure", "3.2", qos, false), message.Core);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task A_message_is_delivered_at_the_lower_of_the_publish_and_subscription_QoS(MqttProtocolVersion version)
    {
        await using var broker = TestBroker.Start();
        await using var high = PahoPeer.Start(broker.Port, version, "--sub", "q/#:2", "--expect", "2");
        await using var low = PahoPeer.Start(broker.Port, version, "--sub", "q/#:0", "--expect", "2");
        await Task.WhenAll(high.ReadyAsync(), low.ReadyAsync());
        await using var publisher = PahoPeer.Start(broker.Port, version, "--pub", "q/one", "1", "a", "0", "--pub", "q/two", "2", "b", "0");
        await publisher.WaitForEventAsync("bye");

        Assert.Equal([1, 2], (await high.WaitForMessagesAsync(2)).Select(m => m.QoS));
        Assert.Equal([0, 0], (await low.WaitForMessagesAsync(2)).Select(m => m.QoS));
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Wildcards_match_by_level_and_do_not_match_dollar_topics_at_the_first_level(MqttProtocolVersion version)
    {
        await using var broker = TestBroker.Start();
        await using var everything = PahoPeer.Start(broker.Port, version, "--sub", "#:1", "--expect", "6");
        await using var plusX = await MosquittoClients.SubscribeAsync(broker.Port, version, "+/x", 1);
        await using var dollar = await MosquittoClients.SubscribeAsync(broker.Port, version, "$SYS/#", 1);
        await using var plant = await MosquittoClients.SubscribeAsync(broker.Port, version, "plant/#", 1);
        await everything.ReadyAsync();

        // One publisher at QoS 1: the server routes its messages in order, so once "end" has arrived, nothing earlier can still come.
        await using var publisher = PahoPeer.Start(broker.Port, version,
            "--pub", "$SYS/x", "1", "sys", "0", "--pub", "a/x", "1", "ax", "0", "--pub", "a/b/x", "1", "abx", "0",
            "--pub", "plant", "1", "parent", "0", "--pub", "end", "1", "end", "0", "--pub", "$SYS/end", "1", "end", "0",
            "--pub", "plant/end", "1", "end", "0", "--pub", "e/x", "1", "end", "0");
        await publisher.WaitForEventAsync("bye");

        Assert.Equal(["a/x", "a/b/x", "plant", "end", "plant/end", "e/x"], (await everything.WaitForMessagesAsync(6)).Select(m => m.Topic));
        Assert.Equal(["a/x", "e/x"], (await MosquittoClients.WaitForMessagesAsync(plusX, 2)).Select(m => m.Topic));
        Assert.Equal(["$SYS/x", "$SYS/end"], (await MosquittoClients.WaitForMessagesAsync(dollar, 2)).Select(m => m.Topic));

        // "plant/#" also matches its parent level "plant" (4.7.1.2).
        Assert.Equal(["plant", "plant/end"], (await MosquittoClients.WaitForMessagesAsync(plant, 2)).Select(m => m.Topic));
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Retained_messages_are_set_replaced_cleared_and_delivered_on_subscribe_with_the_retain_flag(MqttProtocolVersion version)
    {
        await using var broker = TestBroker.Start();
        await using (var publisher = PahoPeer.Start(broker.Port, version,
            "--pub", "r/1", "1", "one", "1", "--pub", "r/1", "1", "two", "1",
            "--pub", "r/2", "1", "gone", "1", "--pub", "r/2", "1", "", "1", "--pub", "r/3", "2", "three", "1"))
        {
            await publisher.WaitForEventAsync("bye");
        }

        await using var subscriber = await MosquittoClients.SubscribeAsync(broker.Port, version, "r/#", 2);
        // At QoS 2 like r/3: mosquitto_sub reports a QoS 2 message only at its PUBREL, so only then is the printed order the sent order.
        await MosquittoClients.PublishAsync(broker.Port, version, "r/end", "live", 2, retain: true);

        var messages = await MosquittoClients.WaitForMessagesAsync(subscriber, 3);
        Assert.Equal(
            [("r/1", "two", 1, true), ("r/3", "three", 2, true), ("r/end", "live", 2, false)],
            messages.OrderBy(m => m.Topic, StringComparer.Ordinal).Select(m => m.Core));
        Assert.Equal("r/end", messages[^1].Topic);
    }
}
