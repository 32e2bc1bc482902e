using System.Diagnostics;
using System.Text;
using Dapper;
using Millwright.Features.ClusterBridge;
using Millwright.Hosting;
using Millwright.Mqtt;
using Millwright.Mqtt.Packets;
using Millwright.Testing;
using Npgsql;

namespace Millwright.Tests.Cluster;

/// <summary>
/// How the other nodes learn a kept session's new filters (what their bridges must not acknowledge while unlinked): from
/// the subscribe's notification itself, so a reconnect storm of kept sessions costs no node a read of every session per
/// subscribe; a notice too long for PostgreSQL asks for one read, and reads asked for are spaced.
/// </summary>
public sealed class KeptFilterNoticeTests
{
    private const int Sessions = 40;
    private const uint Expiry = 300;

    [Fact]
    public async Task A_burst_of_kept_session_subscribes_reaches_the_other_node_without_a_read_per_subscribe()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var name = TestRabbitMq.NewClusterName();
        await using var a = await ClusterPeer.StartAsync(database.ConnectionString, name, "node-a", TestRabbitMq.Uri);
        await using var b = await ClusterPeer.StartAsync(database.ConnectionString, name, "node-b", TestRabbitMq.Uri);
        var clients = new List<RawMqttClient>();
        try
        {
            var plant = await PersistentSessionClusterTests.PlantAsync(a, database);
            var onB = b.Service<SessionReplica>();
            await Eventually.TrueAsync(() => onB.KeptFilterReads > 0, "node b's first poll");
            var before = onB.KeptFilterReads;
            var started = Stopwatch.GetTimestamp();

            // Every session subscribes to a filter of its own, all at once, on node a.
            clients.AddRange(await Task.WhenAll(Enumerable.Range(0, Sessions).Select(async i =>
            {
                var client = await PersistentSessionClusterTests.ConnectAsync(a.MqttPort, plant.OperatorKey, $"storm-{i}", cleanStart: true, Expiry, expectPresent: false);
                Assert.Equal([ReasonCode.GrantedQoS1], await PersistentSessionClusterTests.SubscribeAsync(client, $"mw/{plant.Slug}/m{i}/cmd", QualityOfService.AtLeastOnce));
                return client;
            })));

            await Eventually.TrueAsync(() => Enumerable.Range(0, Sessions).All(i => onB.MayWant($"mw/{plant.Slug}/m{i}/cmd")), "node b to know every new filter");
            var elapsed = Stopwatch.GetElapsedTime(started);
            var reads = onB.KeptFilterReads - before;

            // Only node b's own polls read (one per poll interval, and the one under way), not one per subscribe or claim.
            Assert.True(reads <= 1 + (long)(elapsed / SessionReplica.Poll), $"{reads} reads in {elapsed.TotalSeconds:F1} s for {Sessions} subscribes");
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }

            await PersistentSessionClusterTests.DeleteSessionQueuesAsync(database.ConnectionString, name);
        }
    }

    [Fact]
    public async Task A_new_filter_too_long_for_a_notice_is_read_by_the_other_node_at_once()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var name = TestRabbitMq.NewClusterName();
        await using var a = await ClusterPeer.StartAsync(database.ConnectionString, name, "node-a", TestRabbitMq.Uri, RarePolls);
        await using var b = await ClusterPeer.StartAsync(database.ConnectionString, name, "node-b", TestRabbitMq.Uri, RarePolls);
        try
        {
            var plant = await PersistentSessionClusterTests.PlantAsync(a, database);
            var onB = b.Service<SessionReplica>();
            await Eventually.TrueAsync(() => onB.KeptFilterReads > 0, "node b's first read");
            var before = onB.KeptFilterReads;

            // Over PostgreSQL's 8,000-byte notification payload: the notice asks node b to read instead.
            var topic = $"mw/{plant.Slug}/{new string('x', 8_000)}/cmd";
            await using var client = await PersistentSessionClusterTests.ConnectAsync(a.MqttPort, plant.OperatorKey, "long", cleanStart: true, Expiry, expectPresent: false);
            Assert.Equal([ReasonCode.GrantedQoS1], await PersistentSessionClusterTests.SubscribeAsync(client, topic, QualityOfService.AtLeastOnce));
            await Eventually.TrueAsync(() => onB.MayWant(topic), "node b to know the long filter");

            // Node b polls once an hour: it learnt the filter by the read the notice asked for.
            Assert.True(onB.KeptFilterReads > before, "read on the notice");
        }
        finally
        {
            await PersistentSessionClusterTests.DeleteSessionQueuesAsync(database.ConnectionString, name);
        }
    }

    // Nodes that read the kept filters as they start and then once an hour: what they learn later came in a notice.
    private static ServeOptions RarePolls(ServeOptions options) =>
        options with { Cluster = options.Cluster! with { SessionPoll = TimeSpan.FromHours(1) } };

    [Theory]
    [InlineData(0.0004, 1)]
    [InlineData(0.7, 1)]
    [InlineData(1.0, 1)]
    [InlineData(1.2, 2)]
    [InlineData(4_999.6, 5_000)]
    public void A_poll_wait_under_a_millisecond_is_one_millisecond_not_for_ever(double leftMs, int waited)
    {
        // Npgsql's WaitAsync takes 0 ms as "for ever": a remainder under a millisecond stopped node a's poll until the
        // next notification, so it never released a row no connection served (the CI failure of 2026-12-07).
        Assert.Equal(waited, SessionReplica.WaitMilliseconds(TimeSpan.FromMilliseconds(leftMs)));
    }

    [Fact]
    public async Task A_filter_its_node_still_knows_reaches_a_node_that_dropped_it_when_a_session_binds_it_again()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var name = TestRabbitMq.NewClusterName();

        // Both nodes read the kept filters only as they start: whatever node b knows after that came in a notice.
        await using var a = await ClusterPeer.StartAsync(database.ConnectionString, name, "node-a", TestRabbitMq.Uri, RarePolls);
        try
        {
            var plant = await PersistentSessionClusterTests.PlantAsync(a, database);
            var filter = $"mw/{plant.Slug}/press-a/cmd";

            // Session x subscribes and unsubscribes on node a, which keeps the filter until its next poll.
            await using var x = await PersistentSessionClusterTests.ConnectAsync(a.MqttPort, plant.OperatorKey, "x", cleanStart: true, Expiry, expectPresent: false);
            Assert.Equal([ReasonCode.GrantedQoS1], await PersistentSessionClusterTests.SubscribeAsync(x, filter, QualityOfService.AtLeastOnce));
            await x.SendAsync(new UnsubscribePacket { PacketId = 2, TopicFilters = [filter] });
            Assert.IsType<UnsubAckPacket>(await x.ReceiveAsync());
            Assert.True(a.Service<SessionReplica>().MayWant(filter));

            // Node b reads the store now, where no session holds the filter: so it does not know it.
            await using var b = await ClusterPeer.StartAsync(database.ConnectionString, name, "node-b", TestRabbitMq.Uri, RarePolls);
            var onB = b.Service<SessionReplica>();
            await Eventually.TrueAsync(() => onB.KeptFilterReads > 0, "node b's first read");
            Assert.False(onB.MayWant(filter));

            // Session y binds it on node a: not new to node a, but node b must hear of it (before, only filters new to
            // their node were notified, and node b would not know it until its next poll).
            await using var y = await PersistentSessionClusterTests.ConnectAsync(a.MqttPort, plant.OperatorKey, "y", cleanStart: true, Expiry, expectPresent: false);
            Assert.Equal([ReasonCode.GrantedQoS1], await PersistentSessionClusterTests.SubscribeAsync(y, filter, QualityOfService.AtLeastOnce));
            await Eventually.TrueAsync(() => onB.MayWant(filter), "node b to learn the filter from the notice");
            Assert.Equal(1, onB.KeptFilterReads);
        }
        finally
        {
            await PersistentSessionClusterTests.DeleteSessionQueuesAsync(database.ConnectionString, name);
        }
    }
}
