using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Millwright.Features.Telemetry;
using Millwright.Messages;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Live;

/// <summary>The live feed end to end: real sockets, real HTTP ingest with device credentials, both stores.</summary>
public abstract partial class LiveFeedTests(LiveHost fixture)
{
    /// <summary>A whole second an hour ago: inside the platform's window for telemetry times.</summary>
    private static readonly long Base = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds() * 1000;

    private TestHost Host => fixture.Host;

    [Fact]
    public async Task A_subscriber_to_a_machine_gets_a_snapshot_and_then_the_change_its_device_posts()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        await PostAsync(plant, $$$"""{"ts": {{{Base}}}, "values": {"power": 1.5, "program": "O1"}}""");
        await WaitForLatestAsync(t, plant.MachineId, "power", Base);
        await using var live = await LiveClient.LoginAsync(Host, t.ViewerKey);

        await live.SubscribeAsync("subscribe", machines: [plant.MachineId]);

        var ack = await live.ReceiveAsync();
        Assert.Equal(plant.MachineId, ack!["subscriptions"]!["machines"]![0]!.GetValue<long>());
        Assert.Equal(1, ack["covering"]!.GetValue<int>());
        var snapshot = (await live.ReceiveAsync())!["snapshot"]!.AsArray();
        var machine = Assert.Single(snapshot)!;
        Assert.Equal(plant.MachineId, machine["machine"]!.GetValue<long>());
        Assert.Equal(1.5, machine["values"]!["power"]!["value"]!.GetValue<double>());
        Assert.Equal(Base, machine["values"]!["power"]!["ts"]!.GetValue<long>());
        Assert.Equal("O1", machine["values"]!["program"]!["value"]!.GetValue<string>());

        await PostAsync(plant, $$$"""{"ts": {{{Base + 1000}}}, "values": {"power": 2.5}}""");

        // The machine's state event (its first readings made it running) may come before the value change.
        var (change, before) = await live.ReceiveUntilAsync(m => m["values"] is not null);
        Assert.All(before, m => Assert.NotNull(m["state"]));
        Assert.Equal(plant.MachineId, change["machine"]!.GetValue<long>());
        Assert.Equal(Base + 1000, change["ts"]!.GetValue<long>());
        Assert.Equal(2.5, change["values"]!["power"]!.GetValue<double>());
        Assert.Null(change["values"]!["program"]);
    }

    [Fact]
    public async Task A_watcher_gets_the_machines_state_changes_and_alarm_transitions_as_they_happen()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        await t.Operator.PostJsonAsync("/api/v1/alarm-rules", new { name = "overload", machineTypeId = plant.TypeId, tag = "power", kind = "threshold", direction = "high", limit = 100, severity = "high", message = "{machine} overloaded" }, HttpStatusCode.Created);
        await using var live = await LiveClient.LoginAsync(Host, t.ViewerKey);
        await live.SubscribeAsync("subscribe", machines: [plant.MachineId]);
        await live.ReceiveAsync();
        Assert.Null((await live.ReceiveAsync())!["snapshot"]![0]!["state"]);

        // The plant's rule: running while power > 1.
        await PostAsync(plant, $$$"""{"values": {"power": 5}}""");
        var state = (await ReceiveFirstAsync(live, "state"))["state"]!;
        Assert.Equal((plant.MachineId, "running"), (state["machine"]!.GetValue<long>(), state["state"]!.GetValue<string>()));

        await PostAsync(plant, $$$"""{"values": {"power": 250}}""");
        var alarm = (await ReceiveFirstAsync(live, "alarm"))["alarm"]!;
        Assert.Equal((plant.MachineId, "raised", "active", "high"),
            (alarm["machine"]!.GetValue<long>(), alarm["kind"]!.GetValue<string>(), alarm["state"]!.GetValue<string>(), alarm["severity"]!.GetValue<string>()));
        Assert.Contains("overloaded", alarm["message"]!.GetValue<string>(), StringComparison.Ordinal);

        // A second watcher subscribing now finds the state in its snapshot.
        await using var late = await LiveClient.LoginAsync(Host, t.ViewerKey);
        await late.SubscribeAsync("subscribe", machines: [plant.MachineId]);
        await late.ReceiveAsync();
        Assert.Equal("running", (await late.ReceiveAsync())!["snapshot"]![0]!["state"]!["state"]!.GetValue<string>());
    }

    private static async Task<JsonNode> ReceiveFirstAsync(LiveClient live, string field)
    {
        while (true)
        {
            var message = await live.ReceiveAsync() ?? throw new InvalidOperationException($"the feed closed before a {field} message");
            if (message[field] is not null)
            {
                return message;
            }
        }
    }

    [Fact]
    public async Task The_snapshot_carries_the_link_state_the_machines_transport_reported()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        var since = DateTimeOffset.FromUnixTimeMilliseconds(Base);
        // As the Modbus poller reports a link it lost; no Modbus peer is needed to show that the feed carries it.
        Host.Service<MachineConnectivity>().Set(t.Id, plant.MachineId, new ConnectionState(false, since, "modbus", "connection refused"));
        await using var live = await LiveClient.LoginAsync(Host, t.ViewerKey);

        await live.SubscribeAsync("subscribe", machines: [plant.MachineId]);

        var (snapshot, _) = await live.ReceiveUntilAsync(m => m["snapshot"] is not null);
        var link = snapshot["snapshot"]![0]!["link"]!;
        Assert.False(link["online"]!.GetValue<bool>());
        Assert.Equal(Base, link["since"]!.GetValue<long>());
        Assert.Equal("modbus", link["source"]!.GetValue<string>());
        Assert.Equal("connection refused", link["detail"]!.GetValue<string>());
        Assert.Empty(snapshot["snapshot"]![0]!["values"]!.AsObject());
    }

    [Fact]
    public async Task A_browser_logs_in_with_its_key_as_the_first_message()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        await using var live = await LiveClient.ConnectAsync(Host, headerKey: null);

        await live.SendAsync($$"""{"key": "{{t.ViewerKey}}"}""");

        var welcome = (await live.ReceiveAsync())!["welcome"]!;
        Assert.Equal(t.Id, welcome["tenant"]!.GetValue<long>());
        Assert.Equal("viewer", welcome["role"]!.GetValue<string>());
        await live.SubscribeAsync("subscribe", machines: [plant.MachineId]);
        await live.ReceiveUntilAsync(m => m["snapshot"] is not null);
        await PostAsync(plant, """{"values": {"power": 7}}""");
        var (change, _) = await live.ReceiveUntilAsync(m => LiveClient.IsChange(m, plant.MachineId));
        Assert.Equal(7, change["values"]!["power"]!.GetValue<double>());
    }

    [Fact]
    public async Task A_line_subscription_covers_its_machines_and_one_added_to_the_line_later()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        var second = await AddMachineAsync(t, plant, "second");
        await using var live = await LiveClient.LoginAsync(Host, t.ViewerKey);

        await live.SubscribeAsync("subscribe", lines: [plant.LineId]);

        var ack = await live.ReceiveAsync();
        Assert.Equal(2, ack!["covering"]!.GetValue<int>());
        var snapshot = (await live.ReceiveAsync())!["snapshot"]!.AsArray();
        Assert.Equal([plant.MachineId, second.MachineId], snapshot.Select(m => m!["machine"]!.GetValue<long>()));
        await PostAsync(plant, """{"values": {"power": 1}}""");
        await PostAsync(second, """{"values": {"power": 2}}""");
        await live.ReceiveUntilAsync(m => LiveClient.IsChange(m, plant.MachineId));
        await live.ReceiveUntilAsync(m => LiveClient.IsChange(m, second.MachineId));

        // Found by the connection's periodic re-read of its lines (200 ms here): a snapshot, then changes.
        var third = await AddMachineAsync(t, plant, "third");
        await PostAsync(third, """{"values": {"power": 3}}""");
        var (seen, _) = await live.ReceiveUntilAsync(m =>
            LiveClient.IsChange(m, third.MachineId) || m["snapshot"]?.AsArray().Any(s => s!["machine"]!.GetValue<long>() == third.MachineId) == true);
        Assert.DoesNotContain(plant.Marker, seen.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_site_subscription_covers_the_machines_of_all_its_lines()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        var line = await t.Operator.PostJsonAsync("/api/v1/lines", new { areaId = plant.AreaId, name = $"{plant.Marker} line 2" }, HttpStatusCode.Created);
        var other = await AddMachineAsync(t, plant with { LineId = line.Id() }, "other");
        await using var live = await LiveClient.LoginAsync(Host, t.OperatorKey);

        await live.SubscribeAsync("subscribe", sites: [plant.SiteId]);

        Assert.Equal(2, (await live.ReceiveAsync())!["covering"]!.GetValue<int>());
        await live.ReceiveUntilAsync(m => m["snapshot"] is not null);
        await PostAsync(other, """{"values": {"power": 4}}""");
        var (change, _) = await live.ReceiveUntilAsync(m => LiveClient.IsChange(m, other.MachineId));
        Assert.Equal(4, change["values"]!["power"]!.GetValue<double>());
    }

    [Fact]
    public async Task Another_tenants_ids_are_not_found_and_deliver_nothing_when_its_machine_reports()
    {
        using var a = await Host.CreateTenantAsync();
        var theirs = await Plant.CreateAsync(a);
        using var b = await Host.CreateTenantAsync();
        var mine = await Plant.CreateAsync(b);
        await using var live = await LiveClient.LoginAsync(Host, b.AdminKey);

        await live.SubscribeAsync("subscribe", machines: [theirs.MachineId, 987_654_321], lines: [theirs.LineId], sites: [theirs.SiteId]);

        var (error, before) = await live.ReceiveUntilAsync(m => m["error"] is not null);
        Assert.Equal(0, Assert.Single(before)["covering"]!.GetValue<int>());
        Assert.Equal("not found", error!["error"]!.GetValue<string>());
        Assert.Equal([theirs.MachineId, 987_654_321], error["notFound"]!["machines"]!.AsArray().Select(n => n!.GetValue<long>()));
        Assert.Equal(theirs.LineId, Assert.Single(error["notFound"]!["lines"]!.AsArray())!.GetValue<long>());
        Assert.Equal(theirs.SiteId, Assert.Single(error["notFound"]!["sites"]!.AsArray())!.GetValue<long>());

        // A's machine reports first, then B's own. The pipeline applies them in order and a connection sends
        // what it has in machine order, so anything of A's would arrive before B's own change.
        await PostAsync(theirs, """{"values": {"power": 666.25}}""");
        await WaitForLatestAsync(a, theirs.MachineId, "power", null);
        await live.SubscribeAsync("subscribe", machines: [mine.MachineId]);
        // B's value is posted after its snapshot: posted earlier, it could arrive in the snapshot, not as a change.
        var (snapshot, subscribed) = await live.ReceiveUntilAsync(m => m["snapshot"] is not null);
        await PostAsync(mine, """{"values": {"power": 1}}""");
        var (change, since) = await live.ReceiveUntilAsync(m => LiveClient.IsChange(m, mine.MachineId));

        Assert.Equal(1, change["values"]!["power"]!.GetValue<double>());
        foreach (var message in before.Append(error).Concat(subscribed).Append(snapshot).Concat(since).Append(change))
        {
            var text = message.ToJsonString();
            Assert.DoesNotContain("666.25", text, StringComparison.Ordinal);
            Assert.DoesNotContain(theirs.Marker, text, StringComparison.Ordinal);
            Assert.NotEqual(theirs.MachineId, message["machine"]?.GetValue<long>());
            Assert.Null(message["snapshot"]?.AsArray().FirstOrDefault(s => s!["machine"]!.GetValue<long>() == theirs.MachineId));
        }
    }

    [Fact]
    public async Task Unsubscribing_a_machine_stops_its_changes()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        var second = await AddMachineAsync(t, plant, "second");
        await using var live = await LiveClient.LoginAsync(Host, t.ViewerKey);
        await live.SubscribeAsync("subscribe", machines: [plant.MachineId, second.MachineId]);
        await live.ReceiveUntilAsync(m => m["snapshot"] is not null);

        await live.SubscribeAsync("unsubscribe", machines: [plant.MachineId]);
        var ack = await live.ReceiveAsync();
        Assert.Equal(1, ack!["covering"]!.GetValue<int>());
        await PostAsync(plant, """{"values": {"power": 5}}""");
        await WaitForLatestAsync(t, plant.MachineId, "power", null);
        await PostAsync(second, """{"values": {"power": 6}}""");

        var (_, before) = await live.ReceiveUntilAsync(m => LiveClient.IsChange(m, second.MachineId));
        Assert.DoesNotContain(before, m => LiveClient.IsChange(m, plant.MachineId));
    }

    [Fact]
    public async Task A_tenant_cannot_open_more_live_connections_than_its_limit()
    {
        using var t = await Host.CreateTenantAsync();
        var open = new List<LiveClient>();
        try
        {
            for (var i = 0; i < LiveHost.Options.MaxConnectionsPerTenant; i++)
            {
                open.Add(await LiveClient.LoginAsync(Host, t.ViewerKey));
            }

            await using var extra = await LiveClient.ConnectAsync(Host, t.ViewerKey);
            Assert.Empty(await extra.ReceiveCloseAsync());
            Assert.Equal(WebSocketCloseStatus.PolicyViolation, extra.CloseStatus);
            Assert.Contains("already has 3 live connections", extra.CloseReason, StringComparison.Ordinal);

            // Another tenant is not held back by this one's connections.
            using var other = await Host.CreateTenantAsync();
            await using var theirs = await LiveClient.LoginAsync(Host, other.ViewerKey);
        }
        finally
        {
            foreach (var client in open)
            {
                await client.DisposeAsync();
            }
        }

        // Closed connections give their places back (the server releases them once its side has closed).
        await Eventually.ValueAsync(
            async () =>
            {
                await using var again = await LiveClient.ConnectAsync(Host, t.ViewerKey);
                return (await again.ReceiveAsync())?["welcome"] is not null ? "welcome" : $"refused: {again.CloseReason}";
            },
            answer => answer == "welcome", "a place freed by the closed connections");
    }

    private static async Task<Plant> AddMachineAsync(TestTenant t, Plant plant, string name)
    {
        var machine = await t.Operator.PostJsonAsync("/api/v1/machines", new { lineId = plant.LineId, typeId = plant.TypeId, name = $"{plant.Marker}-{name}" }, HttpStatusCode.Created);
        var credential = await t.Operator.PostJsonAsync($"/api/v1/machines/{machine.Id()}/credentials", new { }, HttpStatusCode.Created);
        return plant with
        {
            MachineId = machine.Id(),
            CredentialId = credential.Id(),
            Username = credential["username"]!.GetValue<string>(),
            Secret = credential["secret"]!.GetValue<string>(),
        };
    }

    private HttpClient DeviceClient(Plant plant)
    {
        var client = Host.Client(null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{plant.Username}:{plant.Secret}")));
        return client;
    }

    private async Task PostAsync(Plant plant, string json)
    {
        using var device = DeviceClient(plant);
        await PostAsync(device, json);
    }

    private static async Task PostAsync(HttpClient device, string json)
    {
        using var response = await device.PostAsync("/api/v1/telemetry", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Waits (deadline, no sleep) until the twin holds <paramref name="tag"/>, at <paramref name="ts"/> when given.</summary>
    private static async Task WaitForLatestAsync(TestTenant t, long machineId, string tag, long? ts) =>
        await Eventually.ValueAsync(
            async () => (await t.Viewer.GetJsonAsync($"/api/v1/machines/{machineId}/latest"))["values"]!.AsArray(),
            values => values.FirstOrDefault(v => v!["tag"]!.GetValue<string>() == tag) is { } value
                && (ts is null || DateTimeOffset.Parse(value["ts"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds() == ts),
            $"the twin to show {tag} at {ts}");

    public sealed class OnSqlite(LiveSqliteHost host) : LiveFeedTests(host), IClassFixture<LiveSqliteHost>;

    public sealed class OnPostgres(LivePostgresHost host) : LiveFeedTests(host), IClassFixture<LivePostgresHost>;
}
