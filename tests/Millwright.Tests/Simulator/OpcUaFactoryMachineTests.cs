using System.Net;
using Millwright.Features.Production;
using Millwright.Simulator;
using Millwright.Simulator.Drivers;
using Millwright.Simulator.Provisioning;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Simulator;

/// <summary>
/// The virtual factory's OPC UA machine (slot 18 of every 20 in the fleet plan): an in-process OPC UA server of our
/// own, registered with the platform as the demo registers it (node map and job object), read through the platform's
/// OPC UA client, and taking a production job through the command port as a method call, answered by its monitored state.
/// </summary>
public abstract class OpcUaFactoryMachineTests(bool postgres)
{
    [Fact]
    public async Task The_factorys_OPC_UA_machine_sends_its_values_and_takes_a_job_by_method_call_to_completion()
    {
        await using var host = await TestHost.StartAsync(postgres, mqtt: true, configure: o => TestEgress.AllowLoopback(o with
        {
            Production = new ProductionOptions { PlanTime = TimeSpan.FromMilliseconds(200), Tick = TimeSpan.FromMilliseconds(100), AckTimeout = TimeSpan.FromSeconds(3) },
        }));
        using var t = await host.CreateTenantAsync("opc");
        using var api = PlatformApi.Create(host.BaseAddress, t.AdminKey);
        var planned = FleetPlan.Create(20).Where(m => m.Protocol == Protocol.OpcUa).ToList();
        var port = FreePort();
        var machine = Assert.Single(await new Provisioner(api, _ => { }).ProvisionAsync(planned, "127.0.0.1", port, CancellationToken.None));
        Assert.Equal(Millwright.Simulator.Models.MachineKind.InjectionMoulding, machine.Plan.Kind);
        var registered = await t.Viewer.GetJsonAsync($"/api/v1/machines/{machine.Id}/opcua");
        Assert.Equal($"opc.tcp://127.0.0.1:{port}", registered["endpoint"]!.GetValue<string>());
        Assert.Equal("ns=1;s=Job.Start", registered["commands"]!["methods"]!["job"]!["methodId"]!.GetValue<string>());

        await t.Admin.PutJsonAsync($"/api/v1/machines/{machine.Id}/capabilities", new { capabilities = new[] { "moulding" } }, HttpStatusCode.OK);
        var item = (await t.Admin.PostJsonAsync("/api/v1/inventory-items", new { sku = "LID", name = "Lid", unitCost = 0.2 }, HttpStatusCode.Created)).Id();
        await t.Admin.PutJsonAsync($"/api/v1/items/{item}/routing", new
        {
            operations = new object[] { new { id = "10", name = "Mould", capability = "moulding", setupSeconds = 0.3, unitSeconds = 0.2, program = "M-LID" } },
        }, HttpStatusCode.OK);
        var site = (await t.Viewer.ListAsync("/api/v1/sites")).Single(s => s!["name"]!.GetValue<string>() == FleetPlan.FactorySite)!.Id();
        using var stop = new CancellationTokenSource();
        var factory = new VirtualFactory([machine], new BrokerAddress("127.0.0.1", host.MqttEndPoint.Port, t.Slug), IPAddress.Loopback,
            TimeSpan.FromMilliseconds(100), 1, TimeProvider.System, new Millwright.Simulator.Jobs.JobMode());
        var running = factory.RunAsync(stop.Token);
        try
        {
            Assert.Equal(1, factory.TakingJobs);
            // Its values arrive through the platform's OPC UA client: the link is an OPC UA session and every node is Good.
            var latest = await Eventually.ValueAsync(() => t.Viewer.GetJsonAsync($"/api/v1/machines/{machine.Id}/latest"),
                l => l["connection"]?["online"]?.GetValue<bool>() == true && l["values"]!.AsArray().Count >= 3, "the OPC UA machine's values", TimeSpan.FromSeconds(60));
            Assert.Equal("opcua", latest["connection"]!["source"]!.GetValue<string>());
            Assert.Contains(latest["values"]!.AsArray(), v => v!["tag"]!.GetValue<string>() == "melt_temperature");
            var statuses = (await t.Viewer.GetJsonAsync($"/api/v1/machines/{machine.Id}/opcua"))["nodeStatus"]!.AsArray();
            Assert.All(statuses, s => Assert.Equal("Good", s!["status"]!.GetValue<string>()));

            var order = await t.Operator.PostJsonAsync("/api/v1/orders", new
            {
                customer = "ACME", itemId = item, siteId = site, quantity = 4, dueAt = DateTimeOffset.UtcNow.AddHours(1), priority = 10, release = true,
            }, HttpStatusCode.Created);
            var now = await Eventually.ValueAsync(
                () => t.Viewer.GetJsonAsync($"/api/v1/orders/{order.Id()}"), o => o["status"]!.GetValue<string>() == "completed",
                $"the order completed ({factory.StatusLine(0, TimeSpan.Zero)} | {factory.Stats.LastIgnored})", TimeSpan.FromSeconds(90));
            Assert.True(now["good"]!.GetValue<long>() >= 4, now.ToJsonString());
            Assert.Equal(machine.Name, now["jobs"]![0]!["machine"]!.GetValue<string>());
            Assert.Equal(1, factory.Stats.Answers(Millwright.Simulator.Jobs.JobStatus.Completed));
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public sealed class OnSqlite() : OpcUaFactoryMachineTests(postgres: false);

    public sealed class OnPostgres() : OpcUaFactoryMachineTests(postgres: true);
}
