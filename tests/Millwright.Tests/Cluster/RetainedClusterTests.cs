using System.Text;
using Dapper;
using Millwright.Features.ClusterBridge;
using Millwright.Mqtt;
using Millwright.Mqtt.Packets;
using Millwright.Mqtt.Server;
using Millwright.Testing;

namespace Millwright.Tests.Cluster;

/// <summary>
/// Retained MQTT messages across nodes (PostgreSQL and the private RabbitMQ): what is retained on one node is held by
/// every node, also by one that starts after the publisher's node is gone, and the last write of a topic wins everywhere.
/// </summary>
public sealed class RetainedClusterTests
{
    [Fact]
    public async Task A_retained_message_outlives_its_node_and_a_node_started_later_holds_it()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var name = TestRabbitMq.NewClusterName();
        var a = await ClusterPeer.StartAsync(database.ConnectionString, name, "node-a", TestRabbitMq.Uri);
        await using var b = await ClusterPeer.StartAsync(database.ConnectionString, name, "node-b", TestRabbitMq.Uri);
        ClusterPlant plant;
        await using (var store = await new global::Millwright.Hosting.StoreOptions(Path.GetTempPath(), database.ConnectionString).OpenAsync())
        {
            plant = await ClusterPlant.CreateAsync(a, await ClusterPlant.PlatformKeyAsync(store));
        }

        // An MES tells the machine its current job, retained: whoever subscribes later learns it at once.
        var topic = $"mw/{plant.Slug}/{plant.MachineName}/cmd";
        await using (var mes = await ClusterMqtt.ConnectAsync(a.MqttPort, "operator", plant.OperatorKey))
        {
            await mes.SendAsync(new PublishPacket { Topic = topic, QoS = QualityOfService.AtLeastOnce, Retain = true, PacketId = 1, Payload = "job-17"u8.ToArray() });
            Assert.Equal(ReasonCode.Success, Assert.IsType<PubAckPacket>(await mes.ReceiveAsync()).ReasonCode);
        }

        // Acknowledged means stored: the row is there before anything else happens.
        await using (var connection = new Npgsql.NpgsqlConnection(database.ConnectionString))
        {
            Assert.Equal("job-17", Encoding.UTF8.GetString(StripToPayload(await connection.QuerySingleAsync<byte[]>(
                "SELECT message FROM mqtt_retained WHERE cluster = @name AND topic = @topic", new { name, topic }), topic)));
        }

        Assert.Equal("job-17", await RetainedOnSubscribeAsync(b, plant, topic));

        // Node a goes; node c starts afterwards and has never seen the publish.
        await a.DisposeAsync();
        await using var c = await ClusterPeer.StartAsync(database.ConnectionString, name, "node-c", TestRabbitMq.Uri);
        Assert.Equal("job-17", await RetainedOnSubscribeAsync(c, plant, topic));

        // Cleared on c (an empty retained message): b holds nothing for the topic any more.
        await using (var mes = await ClusterMqtt.ConnectAsync(c.MqttPort, "operator", plant.OperatorKey))
        {
            await mes.SendAsync(new PublishPacket { Topic = topic, QoS = QualityOfService.AtLeastOnce, Retain = true, PacketId = 2, Payload = ReadOnlyMemory<byte>.Empty });
            Assert.Equal(ReasonCode.Success, Assert.IsType<PubAckPacket>(await mes.ReceiveAsync()).ReasonCode);
        }

        await Eventually.TrueAsync(() => !b.Service<MqttServer>().RetainedTopics().Contains(topic), "the clearing to reach node b");
        Assert.Null(await RetainedOnSubscribeAsync(b, plant, topic, wait: TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public async Task The_last_write_of_a_topic_wins_on_every_node_and_counts_against_the_publishers_quota_there()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var name = TestRabbitMq.NewClusterName();
        await using var a = await ClusterPeer.StartAsync(database.ConnectionString, name, "node-a", TestRabbitMq.Uri);
        await using var b = await ClusterPeer.StartAsync(database.ConnectionString, name, "node-b", TestRabbitMq.Uri);
        ClusterPlant plant;
        await using (var store = await new global::Millwright.Hosting.StoreOptions(Path.GetTempPath(), database.ConnectionString).OpenAsync())
        {
            plant = await ClusterPlant.CreateAsync(a, await ClusterPlant.PlatformKeyAsync(store));
        }

        var topic = $"mw/{plant.Slug}/{plant.MachineName}/cmd";
        await using var onA = await ClusterMqtt.ConnectAsync(a.MqttPort, "operator", plant.OperatorKey);
        await using var onB = await ClusterMqtt.ConnectAsync(b.MqttPort, "operator", plant.OperatorKey);
        for (ushort i = 1; i <= 10; i++)
        {
            // Alternating nodes, each write acknowledged before the next: the tenth is the last.
            var client = i % 2 == 0 ? onB : onA;
            await client.SendAsync(new PublishPacket { Topic = topic, QoS = QualityOfService.AtLeastOnce, Retain = true, PacketId = i, Payload = Encoding.UTF8.GetBytes($"v{i}") });
            Assert.Equal(ReasonCode.Success, Assert.IsType<PubAckPacket>(await client.ReceiveAsync()).ReasonCode);
        }

        foreach (var node in new[] { a, b })
        {
            await Eventually.ValueAsync(() => RetainedOnSubscribeAsync(node, plant, topic), v => v == "v10", $"{node.NodeId} to hold the last write");
            await Eventually.TrueAsync(() => node.Service<MqttServer>().UsageOf(Features.Quotas.QuotaAccounts.Of(plant.TenantId))?.RetainedMessages == 1,
                $"{node.NodeId} to count the one retained message against the tenant");
        }

        Assert.True(a.Service<RetainedReplica>().Mark >= 10, "every write is a change with its own number");
    }

    /// <summary>The payload of the retained message a new subscriber on <paramref name="node"/> is sent, or null when none comes within <paramref name="wait"/>.</summary>
    private static async Task<string?> RetainedOnSubscribeAsync(ClusterPeer node, ClusterPlant plant, string topic, TimeSpan? wait = null)
    {
        await using var subscriber = await ClusterMqtt.ConnectAsync(node.MqttPort, "operator", plant.OperatorKey);
        await subscriber.SendAsync(new SubscribePacket { PacketId = 1, Subscriptions = [new Subscription(topic, QualityOfService.AtMostOnce)] });
        Assert.IsType<SubAckPacket>(await subscriber.ReceiveAsync());
        try
        {
            var message = Assert.IsType<PublishPacket>(await subscriber.ReceiveAsync().WaitAsync(wait ?? TimeSpan.FromSeconds(10)));
            Assert.True(message.Retain, "sent as a retained message");
            return Encoding.UTF8.GetString(message.Payload.Span);
        }
        catch (TimeoutException) when (wait is not null)
        {
            return null;
        }
    }

    /// <summary>The payload of a stored PUBLISH (MQTT 5.0, no properties beyond what the test set: none).</summary>
    private static byte[] StripToPayload(byte[] packet, string topic)
    {
        var decoder = new Millwright.Mqtt.Codec.MqttDecoder(MqttProtocolVersion.V500);
        Assert.True(decoder.TryDecode(packet, out var decoded, out _));
        var publish = Assert.IsType<PublishPacket>(decoded);
        Assert.Equal(topic, publish.Topic);
        return publish.Payload.ToArray();
    }
}
