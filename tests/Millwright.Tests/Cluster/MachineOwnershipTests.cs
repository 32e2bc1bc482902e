using Dapper;
using Millwright.Features.Cluster;
using Millwright.Features.ClusterIngest;
using Millwright.Features.States;
using Millwright.Features.Telemetry;
using Millwright.Messages;
using Millwright.Testing;

namespace Millwright.Tests.Cluster;

/// <summary>
/// Per-machine evaluation on the machine's owner (PostgreSQL and the private RabbitMQ, two real nodes): the
/// appender commits every machine's telemetry, but each machine's state is tracked by the node holding its
/// bucket's lease, which moves on a join and a leave.
/// </summary>
public sealed class MachineOwnershipTests
{
    [Fact]
    public async Task Each_machine_is_evaluated_only_on_its_owner_and_the_owners_change_on_join_and_leave()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var name = TestRabbitMq.NewClusterName();
        try
        {
            await using var a = await ClusterPeer.StartAsync(database.ConnectionString, name, "node-a", TestRabbitMq.Uri);
            ClusterPlant plant;
            await using (var store = await new global::Millwright.Hosting.StoreOptions(Path.GetTempPath(), database.ConnectionString).OpenAsync())
            {
                plant = await ClusterPlant.CreateAsync(a, await ClusterPlant.PlatformKeyAsync(store));
            }

            List<long> machines = [plant.MachineId];
            for (var i = 2; i <= 8; i++)
            {
                machines.Add(await plant.AddMachineAsync(a, $"press-{i}"));
            }

            var nodeA = a.Service<ClusterNode>();
            Assert.All(machines, m => Assert.True(nodeA.TryGetLease(m, out _)));

            // Join: node b takes its share once node a released it.
            await using var b = await ClusterPeer.StartAsync(database.ConnectionString, name, "node-b", TestRabbitMq.Uri);
            var nodeB = b.Service<ClusterNode>();
            await Eventually.TrueAsync(
                () => machines.All(m => nodeA.TryGetLease(m, out _) != nodeB.TryGetLease(m, out _)) && machines.Any(m => nodeB.TryGetLease(m, out _)),
                "every machine has one owner and node b owns some");
            var ownedByB = machines.Where(m => nodeB.TryGetLease(m, out _)).ToList();
            var ownedByA = machines.Except(ownedByB).ToList();
            Assert.NotEmpty(ownedByA);

            // Node a appends everything; each machine's state is tracked where it is owned, and only there.
            await SendAsync(a, plant, machines, 1);
            foreach (var m in machines)
            {
                var (owner, other) = ownedByB.Contains(m) ? (b, a) : (a, b);
                await Eventually.TrueAsync(() => owner.Service<StateTracker>().CurrentOf(plant.TenantId, m) is not null, $"machine {m}'s owner tracks its state");
                Assert.Null(other.Service<StateTracker>().CurrentOf(plant.TenantId, m));
            }

            Assert.Equal(ownedByB.Count, b.Service<OwnerInbox>().Observed);

            // Leave: node b releases its buckets at once; node a takes them and evaluates those machines from then on.
            await b.StopAsync();
            await SendAsync(a, plant, ownedByB, 2);
            foreach (var m in ownedByB)
            {
                await Eventually.TrueAsync(() => a.Service<StateTracker>().CurrentOf(plant.TenantId, m) is not null, $"node a tracks machine {m} after node b left");
            }

            var handovers = await HandoversAsync(database.ConnectionString, name);
            Assert.Contains(Handover("node-a", null, "another node is the intended owner"), handovers);
            Assert.Contains(Handover(null, "node-b", "free"), handovers);
            Assert.Contains(Handover("node-b", null, "node left"), handovers);
            Assert.Contains(Handover(null, "node-a", "free"), handovers);
        }
        finally
        {
            await TestRabbitMq.DeleteQueuesAsync(IngestQueues.Ingest(name));
        }
    }

    /// <summary>One reading per machine through node a's pipeline; returns when committed and observed by the owners.</summary>
    private static async Task SendAsync(ClusterPeer appender, ClusterPlant plant, IEnumerable<long> machines, double value)
    {
        var pipeline = appender.Service<TelemetryPipeline>();
        var now = DateTimeOffset.UtcNow;
        foreach (var m in machines)
        {
            Assert.Null(await pipeline.StoreAsync(new DeviceMessage(plant.TenantId, m, "mqtt", now, [new Reading("power", now.ToUnixTimeMilliseconds(), TagValue.Of(value))]), CancellationToken.None));
        }
    }

    private static (string? From, string? To, string Reason) Handover(string? from, string? to, string reason) => (from, to, reason);

    private static async Task<List<(string? From, string? To, string Reason)>> HandoversAsync(string connectionString, string cluster)
    {
        await using var store = await new global::Millwright.Hosting.StoreOptions(Path.GetTempPath(), connectionString).OpenAsync();
        await using var c = await store.OpenAsync();
        return (await c.QueryAsync<(string? From, string? To, string Reason)>(
            "SELECT from_node, to_node, reason FROM cluster_handovers WHERE cluster = @cluster ORDER BY id", new { cluster })).AsList();
    }
}
