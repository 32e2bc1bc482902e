using System.Net;
using Millwright.Features.Production;
using Millwright.Simulator;
using Millwright.Simulator.Drivers;
using Millwright.Simulator.Jobs;
using Millwright.Simulator.Provisioning;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Simulator;

/// <summary>The platform's planner and the virtual factory in job mode: an order of two operations is made by simulated machines.</summary>
public sealed class FactoryProductionTests
{
    [Fact]
    public async Task An_order_is_planned_dispatched_and_completed_by_the_virtual_factory()
    {
        await using var host = await TestHost.StartAsync(postgres: false, mqtt: true, configure: o => o with
        {
            Production = new ProductionOptions { PlanTime = TimeSpan.FromMilliseconds(200), Tick = TimeSpan.FromMilliseconds(100), AckTimeout = TimeSpan.FromSeconds(3) },
        });
        using var t = await host.CreateTenantAsync("sim");
        using var api = PlatformApi.Create(host.BaseAddress, t.AdminKey);
        var machines = await new Provisioner(api, _ => { }).ProvisionAsync(FleetPlan.Create(4), "127.0.0.1", 15020, CancellationToken.None);
        var cnc = machines.Single(m => m.Name == "cnc-001");
        var emb = machines.Single(m => m.Name == "emb-001");
        await t.Admin.PutJsonAsync($"/api/v1/machines/{cnc.Id}/capabilities", new { capabilities = new[] { "milling" } }, HttpStatusCode.OK);
        await t.Admin.PutJsonAsync($"/api/v1/machines/{emb.Id}/capabilities", new { capabilities = new[] { "embroidery" } }, HttpStatusCode.OK);
        var item = (await t.Admin.PostJsonAsync("/api/v1/inventory-items", new { sku = "PATCH", name = "Badge", unitCost = 3.0 }, HttpStatusCode.Created)).Id();
        await t.Admin.PutJsonAsync($"/api/v1/items/{item}/routing", new
        {
            operations = new object[]
            {
                new { id = "10", name = "Mill", capability = "milling", setupSeconds = 0.3, unitSeconds = 0.2, program = "O1001" },
                new { id = "20", name = "Embroider", capability = "embroidery", setupSeconds = 0.3, unitSeconds = 0.2, program = "D-7" },
            },
        }, HttpStatusCode.OK);
        var site = (await t.Viewer.ListAsync("/api/v1/sites")).Single(s => s!["name"]!.GetValue<string>() == FleetPlan.FactorySite)!.Id();
        var broker = new BrokerAddress("127.0.0.1", host.MqttEndPoint.Port, t.Slug);
        using var stop = new CancellationTokenSource();
        var factory = new VirtualFactory(machines, broker, IPAddress.Loopback, TimeSpan.FromMilliseconds(100), 1, TimeProvider.System, new JobMode());
        var running = factory.RunAsync(stop.Token);
        await Eventually.TrueAsync(() => factory.Stats.Connected(Protocol.MqttJson) >= 3, "three machines connected");

        var order = await t.Operator.PostJsonAsync("/api/v1/orders", new
        {
            customer = "ACME", itemId = item, siteId = site, quantity = 8, dueAt = DateTimeOffset.UtcNow.AddHours(1), priority = 10, release = true,
        }, HttpStatusCode.Created);
        var now = await Eventually.ValueAsync(
            () => t.Viewer.GetJsonAsync($"/api/v1/orders/{order.Id()}"), o => o["status"]!.GetValue<string>() == "completed",
            $"the order completed ({factory.StatusLine(0, TimeSpan.Zero)} | {factory.Stats.LastIgnored})", TimeSpan.FromSeconds(90));

        // The platform completes a job when its counted parts reach the quantity, which can be a tick before the
        // machine sends its own "completed" answer: both machines' answers are waited for, not assumed.
        await Eventually.TrueAsync(() => factory.Stats.Answers(Millwright.Simulator.Jobs.JobStatus.Completed) >= 2,
            $"both machines' completed answers ({factory.StatusLine(0, TimeSpan.Zero)})", TimeSpan.FromSeconds(10));
        var status = factory.StatusLine(0, TimeSpan.Zero);
        await stop.CancelAsync();
        await running;
        Assert.True(now["good"]!.GetValue<long>() >= 8, now.ToJsonString());
        Assert.True(2 == factory.Stats.Answers(Millwright.Simulator.Jobs.JobStatus.Completed), status + " || " + factory.StatusLine(0, TimeSpan.Zero) + " || " + now.ToJsonString());
    }

    [Fact]
    public async Task A_sparkplug_machine_of_the_factory_takes_its_job_in_ncmd_and_completes_the_order_through_ndata()
    {
        await using var host = await TestHost.StartAsync(postgres: false, mqtt: true, configure: o => o with
        {
            Production = new ProductionOptions { PlanTime = TimeSpan.FromMilliseconds(200), Tick = TimeSpan.FromMilliseconds(100), AckTimeout = TimeSpan.FromSeconds(3) },
        });
        using var t = await host.CreateTenantAsync("spb");
        using var api = PlatformApi.Create(host.BaseAddress, t.AdminKey);
        var machines = await new Provisioner(api, _ => { }).ProvisionAsync(FleetPlan.Create(2), "127.0.0.1", 15020, CancellationToken.None);
        var imm = machines.Single(m => m.Name == "imm-001");
        Assert.Equal(Protocol.Sparkplug, imm.Protocol);
        await t.Admin.PutJsonAsync($"/api/v1/machines/{imm.Id}/capabilities", new { capabilities = new[] { "moulding" } }, HttpStatusCode.OK);
        var item = (await t.Admin.PostJsonAsync("/api/v1/inventory-items", new { sku = "CAP", name = "Cap", unitCost = 0.2 }, HttpStatusCode.Created)).Id();
        await t.Admin.PutJsonAsync($"/api/v1/items/{item}/routing", new
        {
            operations = new object[] { new { id = "10", name = "Mould", capability = "moulding", setupSeconds = 0.3, unitSeconds = 0.2, program = "M-CAP" } },
        }, HttpStatusCode.OK);
        var site = (await t.Viewer.ListAsync("/api/v1/sites")).Single(s => s!["name"]!.GetValue<string>() == FleetPlan.FactorySite)!.Id();
        using var stop = new CancellationTokenSource();
        var factory = new VirtualFactory([imm], new BrokerAddress("127.0.0.1", host.MqttEndPoint.Port, t.Slug), IPAddress.Loopback,
            TimeSpan.FromMilliseconds(100), 1, TimeProvider.System, new JobMode());
        var running = factory.RunAsync(stop.Token);
        Assert.Equal(1, factory.TakingJobs);
        // The platform addresses a Sparkplug machine by its birth: wait until it has one.
        await Eventually.TrueAsync(() => host.Service<Millwright.Features.Telemetry.MachineConnectivity>().Of(t.Id, imm.Id) is { Source: "sparkplug", Online: true },
            "imm-001 born over Sparkplug B");

        var order = await t.Operator.PostJsonAsync("/api/v1/orders", new
        {
            customer = "ACME", itemId = item, siteId = site, quantity = 4, dueAt = DateTimeOffset.UtcNow.AddHours(1), priority = 10, release = true,
        }, HttpStatusCode.Created);
        var now = await Eventually.ValueAsync(
            () => t.Viewer.GetJsonAsync($"/api/v1/orders/{order.Id()}"), o => o["status"]!.GetValue<string>() == "completed",
            $"the order completed ({factory.StatusLine(0, TimeSpan.Zero)})", TimeSpan.FromSeconds(60));

        await stop.CancelAsync();
        await running;
        Assert.True(now["good"]!.GetValue<long>() >= 4, now.ToJsonString());
        Assert.Equal("imm-001", now["jobs"]![0]!["machine"]!.GetValue<string>());
        Assert.Equal(1, factory.Stats.Answers(Millwright.Simulator.Jobs.JobStatus.Completed));
    }
}
