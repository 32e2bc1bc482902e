using System.Net;
using Millwright.Features.Cluster;
using Millwright.Features.ClusterLeaders;
using Millwright.Features.Connectivity;
using Millwright.Features.Modbus;
using Millwright.Modbus;
using Millwright.Testing;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Cluster;

/// <summary>
/// A polled machine follows the single-owner rule (two real nodes, PostgreSQL and the private RabbitMQ): only the
/// node that owns the machine polls its Modbus server, a command sent on another node is carried to the owner and
/// written from there, and when the owner leaves, the machine's new owner starts polling.
/// </summary>
public sealed class PollerOwnershipTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_Modbus_machine_is_polled_and_commanded_by_its_owner_only_and_by_the_other_node_once_the_owner_left()
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
                commands = new
                {
                    fields = new object[]
                    {
                        new { member = "jobId", address = 100, dataType = "uint32" },
                        new { member = "quantity", address = 102, dataType = "uint16" },
                    },
                    commandRegister = 111,
                    codes = new { job = 1, cancel = 2 },
                    answer = new
                    {
                        area = "holding",
                        statusRegister = 120,
                        statuses = new Dictionary<string, string> { ["1"] = "accepted", ["2"] = "rejected" },
                        fields = new object[] { new { member = "jobId", address = 121, dataType = "uint32" } },
                    },
                },
            }, HttpStatusCode.OK);

            await Eventually.TrueAsync(() => device.RequestsServed > 5, "the owner to poll the machine", Within);
            // The other node learns of the connection at its next resync at the latest (every 30 s); it must not poll.
            await other.Service<ModbusPolling>().StopAsync(CancellationToken.None).ContinueWith(_ => other.Service<ModbusPolling>().StartAsync(CancellationToken.None)).Unwrap();
            await Task.Delay(TimeSpan.FromSeconds(1));
            Assert.Equal(1, owner.Service<ModbusPolling>().Running);
            Assert.Equal(0, other.Service<ModbusPolling>().Running);
            Assert.Equal(1, device.ConnectionCount);

            // A command for the machine sent on the other node is carried to the owner, which writes the job block.
            var receipt = await other.Service<IMachineCommands>().SendAsync(new MachineCommand(plant.TenantId, plant.Slug, plant.MachineId, plant.MachineName,
                """{"type": "job", "jobId": 77, "quantity": 5}"""u8.ToArray()), CancellationToken.None);
            Assert.True(receipt.Sent, receipt.Refusal);
            Assert.Equal("modbus", receipt.Transport);
            Assert.Equal([0, 77, 5], device.Bank.GetRegisters(ModbusArea.HoldingRegister, 100, 3));
            Assert.Equal(1, device.Bank.GetRegisters(ModbusArea.HoldingRegister, 111, 1)[0]);
            Assert.True(other.Service<CommandForwarder>().Carried > 0);

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
