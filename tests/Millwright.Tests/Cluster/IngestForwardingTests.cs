using System.Text;
using Millwright.Features.ClusterIngest;
using Millwright.Features.Telemetry;
using Millwright.Messages;
using Millwright.Mqtt;
using Millwright.Mqtt.Packets;
using Millwright.Storage.TimeSeries;
using Millwright.Testing;

namespace Millwright.Tests.Cluster;

/// <summary>
/// Telemetry across two nodes (PostgreSQL and the private RabbitMQ): a device connected to the node that does
/// not append is acknowledged only once the appender committed its point, and a message the broker delivers
/// twice is stored once.
/// </summary>
public sealed class IngestForwardingTests(IngestCluster cluster) : IClassFixture<IngestCluster>
{
    private ClusterPlant Plant => cluster.Plant;

    [Fact]
    public void Exactly_one_of_the_two_nodes_appends_to_the_store()
    {
        Assert.True(cluster.Appender.Service<TelemetryStorage>().Appends);
        Assert.False(cluster.Forwarder.Service<TelemetryStorage>().Appends);
    }

    [Fact]
    public async Task A_device_on_the_forwarding_node_gets_its_PUBACK_only_after_the_appender_committed_the_point()
    {
        var ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await using var device = await ConnectAsync(cluster.Forwarder.MqttPort);
        var ack = await PublishAsync(device, $$$"""{"ts": {{{ts}}}, "values": {"power": 42.5}}""");

        Assert.Equal(ReasonCode.Success, ack.ReasonCode);
        // Read at once, without waiting: the acknowledgement came after the appender's commit.
        var stored = await AppenderPointsAsync(ts);
        Assert.Equal(42.5, Assert.Single(stored).Number);
        Assert.True(cluster.Appender.Service<IngestConsumer>().Committed >= 1);
        Assert.Equal(0L, cluster.Forwarder.Service<IngestConsumer>().Committed);
    }

    [Fact]
    public async Task A_forwarded_message_delivered_twice_is_stored_once_and_both_deliveries_are_confirmed()
    {
        var ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 5_000;
        var channel = cluster.Forwarder.Service<IngestChannel>();
        var first = new DeviceMessage(Plant.TenantId, Plant.MachineId, "mqtt", DateTimeOffset.UtcNow, [new Reading("power", ts, TagValue.Of(10))]);

        // The same point twice, as the broker redelivers a message whose acknowledgement was lost; then once more with another value.
        await await channel.ForwardAsync(first, CancellationToken.None);
        await await channel.ForwardAsync(first, CancellationToken.None);
        await await channel.ForwardAsync(first with { Readings = [new Reading("power", ts, TagValue.Of(99))] }, CancellationToken.None);

        Assert.Equal(10, Assert.Single(await AppenderPointsAsync(ts)).Number);
    }

    [Fact]
    public async Task A_refused_message_is_refused_to_the_device_on_the_forwarding_node()
    {
        await using var device = await ConnectAsync(cluster.Forwarder.MqttPort);

        var ack = await PublishAsync(device, """{"values": {"power": 1""");

        Assert.Equal(ReasonCode.PayloadFormatInvalid, ack.ReasonCode);
    }

    private Task<IReadOnlyList<TimePoint>> AppenderPointsAsync(long ts) =>
        cluster.Appender.Service<TelemetryStorage>().Store.ReadAsync(new SeriesKey(Plant.TenantId, Plant.MachineId, "power"), ts, ts + 1);

    private Task<RawMqttClient> ConnectAsync(int port) => ClusterMqtt.ConnectAsync(port, Plant.Username, Plant.Secret);

    private async Task<PubAckPacket> PublishAsync(RawMqttClient client, string json)
    {
        await client.SendAsync(new PublishPacket { Topic = Plant.TelemetryTopic, QoS = QualityOfService.AtLeastOnce, PacketId = 1, Payload = Encoding.UTF8.GetBytes(json) });
        var ack = Assert.IsType<PubAckPacket>(await client.ReceiveAsync());
        Assert.Equal(1, ack.PacketId);
        return ack;
    }
}
