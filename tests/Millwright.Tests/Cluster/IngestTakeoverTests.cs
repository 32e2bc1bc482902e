using System.Net;
using Millwright.Features.Cluster;
using Millwright.Features.ClusterIngest;
using Millwright.Features.Telemetry;
using Millwright.Messages;
using Millwright.Storage.TimeSeries;
using Millwright.Testing;

namespace Millwright.Tests.Cluster;

/// <summary>
/// Hand-over of the store's appender and a broker out of reach, on PostgreSQL and the private RabbitMQ. Each
/// test starts its own nodes, because it stops some of them.
/// </summary>
public sealed class IngestTakeoverTests
{
    [Fact]
    public async Task When_the_appender_leaves_the_other_node_takes_over_with_what_the_first_committed()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var name = TestRabbitMq.NewClusterName();
        try
        {
            await using var a = await ClusterPeer.StartAsync(database.ConnectionString, name, "node-a", TestRabbitMq.Uri);
            await using var b = await ClusterPeer.StartAsync(database.ConnectionString, name, "node-b", TestRabbitMq.Uri);
            ClusterPlant plant;
            await using (var store = await new global::Millwright.Hosting.StoreOptions(Path.GetTempPath(), database.ConnectionString).OpenAsync())
            {
                plant = await ClusterPlant.CreateAsync(a, await ClusterPlant.PlatformKeyAsync(store));
            }

            var ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 10_000;
            var series = new SeriesKey(plant.TenantId, plant.MachineId, "power");
            var before = new DeviceMessage(plant.TenantId, plant.MachineId, "mqtt", DateTimeOffset.UtcNow, [new Reading("power", ts, TagValue.Of(1))]);
            await await b.Service<IngestChannel>().ForwardAsync(before, CancellationToken.None);

            await a.StopAsync();
            var storage = b.Service<TelemetryStorage>();
            await Eventually.TrueAsync(() => storage.Appends, "node b becomes the appender after node a left");

            // The new appender replayed the old one's commits: the earlier point is there, and sending it again stores nothing new.
            Assert.Equal(1, Assert.Single(await storage.Store.ReadAsync(series, ts, ts + 1)).Number);
            var pipeline = b.Service<TelemetryPipeline>();
            Assert.Null(await pipeline.StoreAsync(before with { Readings = [new Reading("power", ts, TagValue.Of(5))] }, CancellationToken.None));
            Assert.Null(await pipeline.StoreAsync(before with { Readings = [new Reading("power", ts + 1, TagValue.Of(2))] }, CancellationToken.None));
            Assert.Equal(new[] { 1.0, 2.0 }, (await storage.Store.ReadAsync(series, ts, ts + 2)).Select(p => p.Number));

            var handovers = await HandoversAsync(database.ConnectionString, name);
            Assert.Contains(((string?)"node-a", (string?)null), handovers);
            Assert.Contains(((string?)null, "node-b"), handovers);
        }
        finally
        {
            await TestRabbitMq.DeleteQueuesAsync(IngestQueues.Ingest(name));
        }
    }

    [Fact]
    public async Task An_appender_whose_lease_was_taken_while_it_was_paused_commits_nothing_with_it_and_leads_again_under_a_new_token()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var name = TestRabbitMq.NewClusterName();
        try
        {
            await using var a = await ClusterPeer.StartAsync(database.ConnectionString, name, "node-a", TestRabbitMq.Uri);
            var storage = a.Service<TelemetryStorage>();
            Assert.True(storage.Appends);
            var old = storage.Store;
            var ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 10_000;
            var series = new SeriesKey(1, 1, "power");

            // While node a "was paused", another node took the lease (a larger token) and holds it for two seconds.
            await using (var store = await new global::Millwright.Hosting.StoreOptions(Path.GetTempPath(), database.ConnectionString).OpenAsync())
            await using (var c = await store.OpenAsync())
            {
                await Dapper.SqlMapper.ExecuteAsync(c,
                    "UPDATE cluster_leases SET owner = 'node-x', token = token + 1, expires_at = @until WHERE cluster = @cluster",
                    new { cluster = name + ".ingest", until = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 2_000 });
            }

            // Node a resumes and commits the batch it had in hand: refused by the fence in its own transaction.
            await Assert.ThrowsAsync<FencedOutException>(() => old.AppendAsync([new IngestPoint(series, SeriesKind.Gauge, ts, 1)]));

            // Its tick finds the lease gone; once node-x's lease runs out it takes it again and reopens the store.
            await Eventually.TrueAsync(() => storage.Appends && storage.Store != old, "node a leads again with a store of its own new token");
            await storage.Store.AppendAsync([new IngestPoint(series, SeriesKind.Gauge, ts + 1, 2)]);
            Assert.Equal([2.0], (await storage.Store.ReadAsync(series, ts, ts + 2)).Select(p => p.Number));
            var handovers = await HandoversAsync(database.ConnectionString, name);
            Assert.Contains(((string?)"node-x", (string?)"node-a"), handovers);
        }
        finally
        {
            await TestRabbitMq.DeleteQueuesAsync(IngestQueues.Ingest(name));
        }
    }

    [Fact]
    public async Task A_node_whose_broker_is_unreachable_keeps_retrying_and_reports_it_on_health()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var node = await ClusterPeer.StartAsync(database.ConnectionString, TestRabbitMq.NewClusterName(), "node-a", TestRabbitMq.Unreachable());
        using var client = new HttpClient { BaseAddress = node.BaseAddress };

        var link = node.Service<AmqpLink>();
        await Eventually.TrueAsync(() => link.Problem?.Contains("unreachable", StringComparison.Ordinal) == true, "the link reports the broker unreachable");
        using var health = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Contains("RabbitMQ", await health.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<List<(string? From, string? To)>> HandoversAsync(string connectionString, string cluster)
    {
        await using var store = await new global::Millwright.Hosting.StoreOptions(Path.GetTempPath(), connectionString).OpenAsync();
        await using var c = await store.OpenAsync();
        return (await Dapper.SqlMapper.QueryAsync<(string? From, string? To)>(c,
            "SELECT from_node, to_node FROM cluster_handovers WHERE cluster = @cluster ORDER BY id", new { cluster = cluster + ".ingest" })).ToList();
    }
}
