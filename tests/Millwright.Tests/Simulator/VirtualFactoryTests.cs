using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Millwright.Mqtt;
using Millwright.Mqtt.Client;
using Millwright.Simulator;
using Millwright.Simulator.Drivers;
using Millwright.Simulator.Models;
using Millwright.Simulator.Provisioning;
using Millwright.Sparkplug;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Simulator;

/// <summary>The simulator against the real platform, in process: REST provisioning, then MQTT JSON and Sparkplug B on its broker.</summary>
public sealed class VirtualFactoryTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Simulated_json_machines_are_provisioned_and_their_values_show_in_latest()
    {
        await using var host = await TestHost.StartAsync(postgres: false, mqtt: true, configure: TestEgress.AllowLoopback);
        using var t = await host.CreateTenantAsync("sim");
        var (machines, broker) = await ProvisionAsync(host, t);
        using var stop = new CancellationTokenSource();
        var factory = new VirtualFactory(machines, broker, IPAddress.Loopback, TimeSpan.FromMilliseconds(100), seed: 1, TimeProvider.System);
        var running = factory.RunAsync(stop.Token);

        var json = machines.Where(m => m.Protocol == Protocol.MqttJson).ToList();
        Assert.Contains(json, m => m.Plan.Kind == MachineKind.Construction);
        foreach (var machine in json)
        {
            var values = await WaitForLatestAsync(t, machine, v => v.Count == MachineCatalog.For(machine.Plan.Kind).Tags.Count);
            Assert.Equal(MachineCatalog.For(machine.Plan.Kind).Tags.Select(tag => tag.Name).Order(), values.Keys.Order());
        }

        await stop.CancelAsync();
        await running;
        Assert.True(factory.Stats.Messages >= json.Count);
        Assert.Equal(0, factory.Stats.Connected(Protocol.MqttJson));
    }

    [Fact]
    public async Task Simulated_sparkplug_nodes_are_born_on_the_platform_broker_and_send_data_by_alias()
    {
        await using var host = await TestHost.StartAsync(postgres: false, mqtt: true, configure: TestEgress.AllowLoopback);
        using var t = await host.CreateTenantAsync("sim");
        var (machines, broker) = await ProvisionAsync(host, t);
        var sparkplug = machines.First(m => m.Protocol == Protocol.Sparkplug);
        var seen = new ConcurrentQueue<SparkplugMessage>();
        await using var watcher = await MqttClientConnection.ConnectAsync(
            new MqttClientOptions("127.0.0.1", broker.Port, "watcher") { UserName = "watcher", Password = t.AdminKey },
            p => seen.Enqueue(SparkplugDecoder.Decode(p.Topic, p.Payload.Span)));
        await watcher.SubscribeAsync($"spBv1.0/{t.Slug}/#", QualityOfService.AtMostOnce);
        using var stop = new CancellationTokenSource();
        var factory = new VirtualFactory(machines, broker, IPAddress.Loopback, TimeSpan.FromMilliseconds(100), seed: 1, TimeProvider.System);
        var running = factory.RunAsync(stop.Token);

        await WaitUntilAsync(() => seen.Any(m => m.Topic.EdgeNodeId == sparkplug.Name && m.Topic.MessageType == SparkplugMessageType.NData));
        await stop.CancelAsync();
        await running;

        var mine = seen.Where(m => m.Topic.EdgeNodeId == sparkplug.Name).ToList();
        var birth = mine.First();
        Assert.Equal(SparkplugMessageType.NBirth, birth.Topic.MessageType);
        Assert.Equal(t.Slug, birth.Topic.GroupId);
        var tags = MachineCatalog.For(sparkplug.Plan.Kind).Tags.Select(tag => tag.Name);
        Assert.Superset(tags.ToHashSet(), birth.Metrics.Select(m => m.Name!).ToHashSet());
        Assert.All(mine.Where(m => m.Topic.MessageType == SparkplugMessageType.NData).SelectMany(m => m.Metrics),
            m => Assert.True(m.Name is null && m.Alias is not null, "NDATA metrics go by alias only"));

        // A clean stop publishes the node's death itself, since DISCONNECT discards the will.
        await WaitUntilAsync(() => seen.Any(m => m.Topic.EdgeNodeId == sparkplug.Name && m.Topic.MessageType == SparkplugMessageType.NDeath));
    }

    [Fact]
    public async Task Simulated_sparkplug_values_show_in_latest()
    {
        await using var host = await TestHost.StartAsync(postgres: false, mqtt: true, configure: TestEgress.AllowLoopback);
        using var t = await host.CreateTenantAsync("sim");
        var (machines, broker) = await ProvisionAsync(host, t);
        using var stop = new CancellationTokenSource();
        var running = new VirtualFactory(machines, broker, IPAddress.Loopback, TimeSpan.FromMilliseconds(100), 1, TimeProvider.System).RunAsync(stop.Token);

        var sparkplug = machines.First(m => m.Protocol == Protocol.Sparkplug);
        await WaitForLatestAsync(t, sparkplug, v => v.ContainsKey("alarm_code"));
        await WaitUntilAsync(async () => (await t.Viewer.GetJsonAsync($"/api/v1/machines/{sparkplug.Id}/latest"))["connection"]?["online"]?.GetValue<bool>() == true);

        // A clean stop publishes the node's death; the platform marks the machine offline.
        await stop.CancelAsync();
        await running;
        await WaitUntilAsync(async () => (await t.Viewer.GetJsonAsync($"/api/v1/machines/{sparkplug.Id}/latest"))["connection"]?["online"]?.GetValue<bool>() == false);
    }

    [Fact]
    public async Task Simulated_modbus_machines_are_polled_by_the_platform()
    {
        await using var host = await TestHost.StartAsync(postgres: false, mqtt: true, configure: TestEgress.AllowLoopback);
        using var t = await host.CreateTenantAsync("sim");
        var (machines, broker) = await ProvisionAsync(host, t, 20);
        using var stop = new CancellationTokenSource();
        var running = new VirtualFactory(machines, broker, IPAddress.Loopback, TimeSpan.FromMilliseconds(100), 1, TimeProvider.System).RunAsync(stop.Token);

        var modbus = machines.First(m => m.Protocol == Protocol.Modbus);
        await WaitForLatestAsync(t, modbus, v => v.Count > 3);
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task The_factory_power_meter_is_polled_over_Modbus_and_is_its_machines_energy_meter()
    {
        await using var host = await TestHost.StartAsync(postgres: false, mqtt: true, configure: TestEgress.AllowLoopback);
        using var t = await host.CreateTenantAsync("sim");
        var (machines, broker) = await ProvisionAsync(host, t);
        using var api = PlatformApi.Create(host.BaseAddress, t.AdminKey);
        var meter = await new Provisioner(api, _ => { }).ProvisionMeterAsync(machines, "127.0.0.1", FreePort(), CancellationToken.None);
        Assert.NotNull(meter);
        Assert.Equal(machines.First(m => m.Plan.Kind == MachineKind.InjectionMoulding).Id, meter.MeasuredId);
        using var stop = new CancellationTokenSource();
        var factory = new VirtualFactory(machines, broker, IPAddress.Loopback, TimeSpan.FromMilliseconds(100), 1, TimeProvider.System, meter: meter);
        var running = factory.RunAsync(stop.Token);

        // The platform polls the meter by the template; its energy register counts what the moulding machine draws.
        var values = await WaitForLatestAsync(t, machines[0] with { Id = meter.Id }, v => v.TryGetValue("energy", out var e) && e.GetValue<double>() > 0);
        Assert.InRange(values["voltage"].GetValue<double>(), 228, 232);
        Assert.InRange(values["frequency"].GetValue<double>(), 49.9, 50.1);
        await WaitUntilAsync(async () =>
        {
            var report = await t.Viewer.GetJsonAsync($"/api/v1/energy?machine={meter.MeasuredId}");
            return report["machines"]![0]!["meterMachineId"]?.GetValue<long>() == meter.Id && report["total"]!["kwh"]!.GetValue<double>() > 0;
        });
        await stop.CancelAsync();
        await running;
        Assert.True(factory.Meter!.Kwh > 0);
    }

    [Fact]
    public async Task Provisioning_twice_finds_the_same_machines_and_issues_fresh_credentials()
    {
        await using var host = await TestHost.StartAsync(postgres: false, configure: TestEgress.AllowLoopback);
        using var t = await host.CreateTenantAsync("sim");
        using var api = PlatformApi.Create(host.BaseAddress, t.AdminKey);
        var plan = FleetPlan.Create(6);

        var first = await new Provisioner(api, _ => { }).ProvisionAsync(plan, "127.0.0.1", 15020, CancellationToken.None);
        var second = await new Provisioner(api, _ => { }).ProvisionAsync(plan, "127.0.0.1", 15020, CancellationToken.None);

        Assert.Equal(first.Select(m => m.Id), second.Select(m => m.Id));
        Assert.DoesNotContain(second, m => first.Any(f => f.Secret == m.Secret));
        Assert.Equal(6, (await t.Viewer.ListAsync("/api/v1/machines")).Count);
        Assert.Equal(2, (await t.Viewer.ListAsync("/api/v1/sites")).Count);
    }

    [Fact]
    public async Task Provisioning_adds_the_new_counters_to_a_type_an_older_simulator_made_and_keeps_tags_a_user_added()
    {
        await using var host = await TestHost.StartAsync(postgres: false);
        using var t = await host.CreateTenantAsync("sim");
        var embroidery = MachineCatalog.Embroidery;
        var older = embroidery.Tags.Where(tag => tag.Name is not ("design_count" or "scrap_count"))
            .Select(tag => new { name = tag.Name, unit = tag.Unit, dataType = tag.DataType, kind = tag.Kind, min = tag.Min, max = tag.Max })
            .Append(new { name = "hoop_size", unit = (string?)null, dataType = "string", kind = "gauge", min = (double?)null, max = (double?)null });
        var id = (await t.Admin.PostJsonAsync("/api/v1/machine-types", new { name = embroidery.Name, tags = older }, HttpStatusCode.Created))["id"]!.GetValue<long>();
        using var api = PlatformApi.Create(host.BaseAddress, t.AdminKey);

        await new Provisioner(api, _ => { }).ProvisionAsync(FleetPlan.Create(3), "127.0.0.1", 15020, CancellationToken.None);

        var tags = (await t.Viewer.GetJsonAsync($"/api/v1/machine-types/{id}"))["tags"]!.AsArray().Select(tag => tag!["name"]!.GetValue<string>()).ToList();
        Assert.Superset(embroidery.Tags.Select(tag => tag.Name).Append("hoop_size").ToHashSet(), tags.ToHashSet());
        Assert.Equal(embroidery.Tags.Count + 1, tags.Count);
        var rules = await t.Viewer.GetJsonAsync($"/api/v1/machine-types/{id}/state-rules");
        Assert.Equal("design_count", rules["ruleSet"]!["partCounter"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_viewer_key_is_refused_as_unauthorized_and_a_dead_api_as_unreachable()
    {
        await using var host = await TestHost.StartAsync(postgres: false);
        using var t = await host.CreateTenantAsync("sim");
        using var viewer = PlatformApi.Create(host.BaseAddress, t.ViewerKey);
        using var nowhere = PlatformApi.Create(new Uri($"http://127.0.0.1:{FreePort()}"), t.AdminKey);

        var refused = await Assert.ThrowsAsync<ProvisioningException>(() => new Provisioner(viewer, _ => { }).ProvisionAsync(FleetPlan.Create(1), "127.0.0.1", 1, CancellationToken.None));
        var unreachable = await Assert.ThrowsAsync<ProvisioningException>(() => new Provisioner(nowhere, _ => { }).ProvisionAsync(FleetPlan.Create(1), "127.0.0.1", 1, CancellationToken.None));

        Assert.Equal(ProvisioningFailure.Unauthorized, refused.Failure);
        Assert.Equal(ProvisioningFailure.Unreachable, unreachable.Failure);
    }

    private static async Task<(IReadOnlyList<ProvisionedMachine>, BrokerAddress)> ProvisionAsync(TestHost host, TestTenant t, int count = 6)
    {
        using var api = PlatformApi.Create(host.BaseAddress, t.AdminKey);
        var machines = await new Provisioner(api, _ => { }).ProvisionAsync(FleetPlan.Create(count), "127.0.0.1", FreePort(), CancellationToken.None);
        var broker = new BrokerAddress("127.0.0.1", host.MqttEndPoint.Port, t.Slug);
        await BrokerProbe.CheckAsync(broker, t.AdminKey, CancellationToken.None);
        return (machines, broker);
    }

    private static async Task<Dictionary<string, JsonNode>> WaitForLatestAsync(TestTenant t, ProvisionedMachine machine, Func<Dictionary<string, JsonNode>, bool> done)
    {
        Dictionary<string, JsonNode> values = [];
        await WaitUntilAsync(async () =>
        {
            var latest = await t.Viewer.GetJsonAsync($"/api/v1/machines/{machine.Id}/latest");
            values = latest["values"]!.AsArray().ToDictionary(v => v!["tag"]!.GetValue<string>(), v => v!["value"]!);
            return done(values);
        });
        return values;
    }

    private static Task WaitUntilAsync(Func<bool> condition) => Eventually.TrueAsync(condition, "the factory's condition", Deadline);

    private static Task WaitUntilAsync(Func<Task<bool>> condition) => Eventually.TrueAsync(condition, "the factory's condition", Deadline);

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
