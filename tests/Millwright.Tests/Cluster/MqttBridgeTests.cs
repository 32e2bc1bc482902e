using System.Text;
using Millwright.Features.ClusterBridge;
using Millwright.Features.Connectivity;
using Millwright.Mqtt;
using Millwright.Mqtt.Packets;
using Millwright.Mqtt.Server;
using Millwright.Testing;

namespace Millwright.Tests.Cluster;

/// <summary>
/// MQTT across two nodes (PostgreSQL and the private RabbitMQ): a third-party subscriber on one node receives what a
/// device publishes on the other, and a command an integration publishes on one node reaches a device connected to the other.
/// </summary>
public sealed class MqttBridgeTests(IngestCluster cluster) : IClassFixture<IngestCluster>
{
    private ClusterPlant Plant => cluster.Plant;

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task A_mosquitto_sub_on_one_node_receives_what_a_device_publishes_on_the_other(MqttProtocolVersion version)
    {
        var filter = $"mw/{Plant.Slug}/+/telemetry";
        await using var subscriber = await MosquittoClients.SubscribeAsync(cluster.Appender.MqttPort, version, filter, 1,
            "-i", $"sub-{Guid.NewGuid():N}"[..20], "-u", "operator", "-P", Plant.OperatorKey);
        await Eventually.TrueAsync(() => cluster.Appender.Service<MqttBridge>().IsBound(filter), "the subscriber's filter is bound on the exchange");

        await using var device = await ConnectDeviceAsync(cluster.Forwarder.MqttPort);
        var payload = $$$"""{"values": {"power": {{{Random.Shared.Next(1, 400)}}}.5}}""";
        await device.SendAsync(new PublishPacket { Topic = Plant.TelemetryTopic, QoS = QualityOfService.AtLeastOnce, PacketId = 1, Payload = Encoding.UTF8.GetBytes(payload) });
        Assert.Equal(ReasonCode.Success, Assert.IsType<PubAckPacket>(await device.ReceiveAsync()).ReasonCode);

        var message = Assert.Single(await MosquittoClients.WaitForMessagesAsync(subscriber, 1));
        Assert.Equal(Plant.TelemetryTopic, message.Topic);
        Assert.Equal(payload, message.Payload);
    }

    [Fact]
    public async Task A_command_an_integration_publishes_on_one_node_reaches_the_device_connected_to_the_other()
    {
        var commandTopic = $"mw/{Plant.Slug}/{Plant.MachineName}/cmd";
        await using var device = await ClusterMqtt.ConnectAsync(cluster.Forwarder.MqttPort, Plant.Username, Plant.Secret);
        await device.SendAsync(new SubscribePacket { PacketId = 2, Subscriptions = [new Subscription(commandTopic, QualityOfService.AtLeastOnce)] });
        Assert.IsType<SubAckPacket>(await device.ReceiveAsync());
        await Eventually.TrueAsync(() => cluster.Forwarder.Service<MqttBridge>().IsBound(commandTopic), "the device's command filter is bound on the exchange");

        // An MES connected with an operator key to the other node sends the machine its next job.
        await using var mes = await ClusterMqtt.ConnectAsync(cluster.Appender.MqttPort, "operator", Plant.OperatorKey);
        var payload = Encoding.UTF8.GetBytes("""{"command": "start", "job": "mes-17"}""");
        await mes.SendAsync(new PublishPacket { Topic = commandTopic, QoS = QualityOfService.AtLeastOnce, PacketId = 3, Payload = payload });
        Assert.Equal(ReasonCode.Success, Assert.IsType<PubAckPacket>(await mes.ReceiveAsync()).ReasonCode);

        var command = Assert.IsType<PublishPacket>(await device.ReceiveAsync());
        Assert.Equal(commandTopic, command.Topic);
        Assert.Equal(payload, command.Payload.ToArray());
    }

    [Fact]
    public async Task A_filter_with_an_empty_level_matches_across_nodes_as_MQTT_says()
    {
        // "a//b" has an empty level that '+' matches; the exchange sees an empty word and '*' must match it too.
        var filter = $"mw/{Plant.Slug}/+/cmd";
        await using var subscriber = await MosquittoClients.SubscribeAsync(cluster.Appender.MqttPort, MqttProtocolVersion.V500, filter, 1,
            "-i", $"sub-{Guid.NewGuid():N}"[..20], "-u", "operator", "-P", Plant.OperatorKey);
        await Eventually.TrueAsync(() => cluster.Appender.Service<MqttBridge>().IsBound(filter), "the filter is bound on the exchange");

        await using var mes = await ClusterMqtt.ConnectAsync(cluster.Forwarder.MqttPort, "operator", Plant.OperatorKey);
        await mes.SendAsync(new PublishPacket { Topic = $"mw/{Plant.Slug}//cmd", QoS = QualityOfService.AtLeastOnce, PacketId = 4, Payload = "empty-level"u8.ToArray() });
        Assert.Equal(ReasonCode.Success, Assert.IsType<PubAckPacket>(await mes.ReceiveAsync()).ReasonCode);

        Assert.Equal("empty-level", Assert.Single(await MosquittoClients.WaitForMessagesAsync(subscriber, 1)).Payload);
    }

    [Fact]
    public async Task The_platforms_own_command_reaches_a_device_connected_to_another_node()
    {
        // A tenant's planner runs on its leader, whichever node the machine's device is connected to.
        var commandTopic = $"mw/{Plant.Slug}/{Plant.MachineName}/cmd";
        await using var device = await ClusterMqtt.ConnectAsync(cluster.Forwarder.MqttPort, Plant.Username, Plant.Secret);
        await device.SendAsync(new SubscribePacket { PacketId = 2, Subscriptions = [new Subscription(commandTopic, QualityOfService.AtLeastOnce)] });
        Assert.IsType<SubAckPacket>(await device.ReceiveAsync());
        await Eventually.TrueAsync(() => cluster.Forwarder.Service<MqttBridge>().IsBound(commandTopic), "the device's command filter is bound on the exchange");

        var payload = """{"type": "ping"}"""u8.ToArray();
        var forwarded = cluster.Appender.Service<MqttBridge>().Forwarded;
        cluster.Appender.Service<MqttServer>().Publish(commandTopic, payload, QualityOfService.AtLeastOnce);

        var command = Assert.IsType<PublishPacket>(await device.ReceiveAsync());
        Assert.Equal(commandTopic, command.Topic);
        Assert.Equal(payload, command.Payload.ToArray());
        Assert.True(cluster.Appender.Service<MqttBridge>().Forwarded > forwarded, "it crossed the bridge");
    }

    [Fact]
    public async Task The_bridges_counters_are_on_metrics()
    {
        await using var device = await ConnectDeviceAsync(cluster.Forwarder.MqttPort);
        await device.SendAsync(new PublishPacket { Topic = Plant.TelemetryTopic, QoS = QualityOfService.AtLeastOnce, PacketId = 9, Payload = """{"values": {"power": 3}}"""u8.ToArray() });
        Assert.Equal(ReasonCode.Success, Assert.IsType<PubAckPacket>(await device.ReceiveAsync()).ReasonCode);
        var forwarded = cluster.Forwarder.Service<MqttBridge>().Forwarded;
        Assert.True(forwarded > 0);

        using var admin = cluster.Forwarder.Client(cluster.PlatformKey);
        var text = await admin.GetStringAsync("/metrics");

        foreach (var counter in new[] { "forwarded", "received", "dropped", "unbridged" })
        {
            Assert.Contains($"millwright_cluster_bridge_{counter}_total", text, StringComparison.Ordinal);
        }

        // The value is not compared with this node's: every host in the test process has a meter of the same name, which
        // each host's exporter listens to, and of same-named instruments OpenTelemetry keeps the first registered
        // (open-telemetry/opentelemetry-dotnet#2627). In production a process is one node.
        var line = text.Split('\n').First(l => l.StartsWith("millwright_cluster_bridge_forwarded_total", StringComparison.Ordinal));
        Assert.True(long.Parse(line.Split(' ')[^1].Trim(), System.Globalization.CultureInfo.InvariantCulture) >= 0, line);
        Assert.Contains("millwright_cluster_planner_sent_total", text, StringComparison.Ordinal);
    }

    private Task<RawMqttClient> ConnectDeviceAsync(int port) => ClusterMqtt.ConnectAsync(port, Plant.Username, Plant.Secret);
}
