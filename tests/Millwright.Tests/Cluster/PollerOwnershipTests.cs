using System.Net;
using Millwright.Features.Cluster;
using Millwright.Features.Modbus;
using Millwright.Modbus;
using Millwright.Testing;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Cluster;

/// <summary>
/// A polled machine follows the single-owner rule (two real nodes, PostgreSQL and the private RabbitMQ): only the
/// node that owns the machine polls its Modbus server, and when that node leaves, the machine's new owner starts.
/// </summary>
public sealed class PollerOwnershipTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_Modbus_machine_is_polled_by_its_owner_only_and_by_the_other_node_once_the_owner_left()
    {
        var name = TestRabbitMq.NewClusterName();
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var a = await ClusterPeer.StartAsync(database.ConnectionString, name, "node-a", TestRabbitMq.Uri, TestEgress.AllowLoopback);
        var b = await ClusterPeer.StartAsync(database.ConnectionString, name, "node-b", TestRabbitMq.Uri, TestEgress.AllowLoopback);
        await using var aStopped = a;
        await using var bStopped = b;
        await using var device = new ModbusTcpServer(new ModbusRegisterBank(), new IPEndPoint(IPAddress.Loopback, 0));
        device.Start();
        try
        {
            ClusterPlant plant;
            await using (var store = await new global::Millwright.Hosting.StoreOptions(Path.GetTempPath(), database.ConnectionString).OpenAsync())
            {
                plant = await ClusterPlant.CreateAsync(a, await ClusterPlant.PlatformKeyAsync(store));
            }

            var owner = (await Eventually.ValueAsync(
                () => new[] { a, b }.Where(n => n.Service<ClusterNode>().TryGetLease(plant.MachineId, out _)).ToList(),
                o => o.Count == 1, "exactly one node to own the machine", Within)).Single();
            var other = owner == a ? b : a;

            using var client = owner.Client(plant.OperatorKey);
            await client.PutJsonAsync($"/api/v1/machines/{plant.MachineId}/modbus", new
            {
                host = "127.0.0.1", port = device.LocalEndPoint.Port, unitId = 1, intervalMs = 200, timeoutMs = 500,
                points = new object[] { new { tag = "power", area = "holding", address = 0, dataType = "float32" } },
            }, HttpStatusCode.OK);

            await Eventually.TrueAsync(() => device.RequestsServed > 5, "the owner to poll the machine", Within);
            // The other node learns of the connection at its next resync at the latest (every 30 s); it must not poll.
            await other.Service<ModbusPolling>().StopAsync(CancellationToken.None).ContinueWith(_ => other.Service<ModbusPolling>().StartAsync(CancellationToken.None)).Unwrap();
            await Task.Delay(TimeSpan.FromSeconds(1));
            Assert.Equal(1, owner.Service<ModbusPolling>().Running);
            Assert.Equal(0, other.Service<ModbusPolling>().Running);
            Assert.Equal(1, device.ConnectionCount);

            await owner.StopAsync();
            await Eventually.TrueAsync(() => other.Service<ModbusPolling>().Running == 1, "the machine's new owner to poll it", Within);
            var served = device.RequestsServed;
            await Eventually.TrueAsync(() => device.RequestsServed > served + 5, "the new owner's requests", Within);
        }
        finally
        {
            await TestRabbitMq.DeleteQueuesAsync(Features.ClusterIngest.IngestQueues.Ingest(name));
        }
    }
}
