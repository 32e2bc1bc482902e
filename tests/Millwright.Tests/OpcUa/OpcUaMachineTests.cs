using System.Net;
using System.Text.Json.Nodes;
using Millwright.Tests.Harness;
using Millwright.Tests.Modbus;

namespace Millwright.Tests.OpcUa;

/// <summary>
/// OPC UA machines against the node-opcua server of tests/peers (opcua_server.js): the platform subscribes to the
/// mapped nodes through its egress policy, values become telemetry, the link state shows the session and the
/// nodes the server refused, and a restarted server gets a new session.
/// </summary>
public abstract class OpcUaMachineTests(HostFixture fixture)
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(60);

    private TestHost Host => fixture.Host;

    [Fact]
    public async Task Mapped_nodes_become_telemetry_and_the_machine_comes_back_after_the_server_restarts()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        var server = await OpcUaServerPeer.StartAsync();
        try
        {
            var put = await t.Operator.PutJsonAsync($"/api/v1/machines/{plant.MachineId}/opcua", new
            {
                endpoint = server.Endpoint,
                publishingIntervalMs = 100,
                nodes = new object[]
                {
                    new { nodeId = "ns=2;s=Counter", tag = "power", samplingIntervalMs = 100 },
                    new { nodeId = "ns=2;s=Nothing", tag = "ghost" },
                },
            }, HttpStatusCode.OK);
            Assert.Equal(2, put["nodes"]!.AsArray().Count);
            Assert.Equal(100, put["nodes"]![1]!["samplingIntervalMs"]!.GetValue<int>());

            var latest = await LatestAsync(t, plant, l => Power(l) is > 0);
            Assert.True(latest["connection"]!["online"]!.GetValue<bool>());
            var link = await t.Viewer.GetJsonAsync($"/api/v1/machines/{plant.MachineId}/opcua");
            Assert.Equal("opcua", link["connection"]!["source"]!.GetValue<string>());
            Assert.Contains("ns=2;s=Nothing: BadNodeIdUnknown", link["connection"]!["detail"]!.GetValue<string>(), StringComparison.Ordinal);

            var port = server.Port;
            await server.DisposeAsync();
            var down = await LatestAsync(t, plant, l => l["connection"]?["online"]?.GetValue<bool>() == false);
            Assert.Contains("retrying in", down["connection"]!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
            var restartedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            server = await OpcUaServerPeer.StartAsync(port);

            var back = await LatestAsync(t, plant, l => l["connection"]?["online"]?.GetValue<bool>() == true && Ts(l) > restartedAt);
            Assert.True(Power(back) >= 0);

            using var deleted = await t.Operator.SendRawAsync(HttpMethod.Delete, $"/api/v1/machines/{plant.MachineId}/opcua", "");
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
            await t.Viewer.GetJsonAsync($"/api/v1/machines/{plant.MachineId}/opcua", HttpStatusCode.NotFound);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_bad_map_or_a_refused_endpoint_is_a_problem_and_another_tenant_cannot_see_or_change_the_connection()
    {
        using var t = await Host.CreateTenantAsync();
        using var other = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        var path = $"/api/v1/machines/{plant.MachineId}/opcua";

        var bad = await t.Operator.PutJsonAsync(path, new
        {
            endpoint = "http://127.0.0.1:4840", security = "Basic128Rsa15",
            nodes = new object[] { new { nodeId = "ns=2;x=1", tag = "power" }, new { nodeId = "i=2258", tag = "9lives" } },
        }, HttpStatusCode.BadRequest);
        var errors = bad["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("endpoint") && errors.ContainsKey("security") && errors.ContainsKey("nodes[0].nodeId") && errors.ContainsKey("nodes[1].tag"),
            errors.ToJsonString());
        // The egress policy of the test host opens loopback only: a private address is refused before any connection.
        var refused = await t.Operator.PutJsonAsync(path, new { endpoint = "opc.tcp://10.1.2.3:4840", nodes = new object[] { new { nodeId = "i=2258", tag = "power" } } },
            HttpStatusCode.BadRequest);
        Assert.True(refused["errors"]!.AsObject().ContainsKey("endpoint"));
        await t.Viewer.GetJsonAsync(path, HttpStatusCode.NotFound);

        await t.Operator.PutJsonAsync(path, new { endpoint = "opc.tcp://127.0.0.1:1", nodes = new object[] { new { nodeId = "i=2258", tag = "power" } } }, HttpStatusCode.OK);
        await other.Viewer.GetJsonAsync(path, HttpStatusCode.NotFound);
        await other.Operator.PutJsonAsync(path, new { endpoint = "opc.tcp://127.0.0.1:2", nodes = new object[] { new { nodeId = "i=2258", tag = "power" } } }, HttpStatusCode.NotFound);
        using var delete = await other.Operator.SendRawAsync(HttpMethod.Delete, path, "");
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        using var viewerPut = await t.Viewer.SendRawAsync(HttpMethod.Put, path, """{"endpoint": "opc.tcp://127.0.0.1:3", "nodes": [{"nodeId": "i=2258", "tag": "power"}]}""");
        Assert.Equal(HttpStatusCode.Forbidden, viewerPut.StatusCode);
        Assert.Equal("opc.tcp://127.0.0.1:1", (await t.Viewer.GetJsonAsync(path))["endpoint"]!.GetValue<string>());
        // Nothing listens on port 1: the machine shows why, the platform keeps trying.
        var link = await Eventually.ValueAsync(() => t.Viewer.GetJsonAsync(path), c => c["connection"] is JsonObject, "the failed link", Soon);
        Assert.False(link["connection"]!["online"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_Basic256Sha256_machine_waits_for_its_checked_certificate_then_its_values_flow()
    {
        using var t = await Host.CreateTenantAsync();
        using var other = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        var path = $"/api/v1/machines/{plant.MachineId}/opcua";
        var server = await OpcUaServerPeer.StartAsync();
        try
        {
            var put = await t.Operator.PutJsonAsync(path, new
            {
                endpoint = server.Endpoint, security = "Basic256Sha256", securityMode = "Sign", publishingIntervalMs = 100,
                nodes = new object[] { new { nodeId = "ns=2;s=Counter", tag = "power", samplingIntervalMs = 100 } },
            }, HttpStatusCode.OK);
            Assert.Equal(("Basic256Sha256", "Sign"), (put["security"]!.GetValue<string>(), put["securityMode"]!.GetValue<string>()));

            // Not trusted: the link state says so and names the thumbprint to check.
            var refused = await Eventually.ValueAsync(() => t.Viewer.GetJsonAsync(path), c => c["connection"] is JsonObject, "the refused link", Soon);
            var detail = refused["connection"]!["detail"]!.GetValue<string>();
            Assert.False(refused["connection"]!["online"]!.GetValue<bool>());
            Assert.Contains("is not trusted", detail, StringComparison.Ordinal);
            var sha256 = System.Text.RegularExpressions.Regex.Match(detail, "SHA-256 ([0-9A-F]{64})").Groups[1].Value;

            var wrong = await t.Admin.PostJsonAsync($"{path}/trust", new { thumbprint = new string('A', 64) }, HttpStatusCode.Conflict);
            Assert.Contains("nothing was trusted", wrong["detail"]!.GetValue<string>(), StringComparison.Ordinal);
            await t.Operator.PostJsonAsync($"{path}/trust", new { thumbprint = sha256 }, HttpStatusCode.Forbidden);
            await other.Admin.PostJsonAsync($"{path}/trust", new { thumbprint = sha256 }, HttpStatusCode.NotFound);
            var trusted = await t.Admin.PostJsonAsync($"{path}/trust", new { thumbprint = sha256 }, HttpStatusCode.OK);
            Assert.Equal(sha256, trusted["sha256"]!.GetValue<string>());

            var latest = await LatestAsync(t, plant, l => Power(l) is > 0);
            Assert.True(latest["connection"]!["online"]!.GetValue<bool>());
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_browse_path_is_resolved_at_connect_and_again_after_a_reconnect_and_one_that_leads_nowhere_shows_its_status()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        var path = $"/api/v1/machines/{plant.MachineId}/opcua";
        var server = await OpcUaServerPeer.StartAsync();
        try
        {
            var put = await t.Operator.PutJsonAsync(path, new
            {
                endpoint = server.Endpoint, publishingIntervalMs = 100,
                nodes = new object[]
                {
                    new { browsePath = "/Objects/2:Machine/2:Counter", tag = "power", samplingIntervalMs = 100 },
                    new { browsePath = "/Objects/2:Machine/2:Nothing", tag = "ghost" },
                    new { nodeId = "ns=2;s=Speed", tag = "speed", samplingIntervalMs = 100 },
                    // The same node by path and by id: the second entry is refused, not a second tag of one value.
                    new { browsePath = "/Objects/2:Machine/2:Speed", tag = "speed_again" },
                },
            }, HttpStatusCode.OK);
            Assert.Equal("/Objects/2:Machine/2:Counter", put["nodes"]![0]!["browsePath"]!.GetValue<string>());
            Assert.Null(put["nodes"]![0]!["nodeId"]);

            await LatestAsync(t, plant, l => Power(l) is > 0);
            var link = await Eventually.ValueAsync(() => t.Viewer.GetJsonAsync(path), c => c["nodeStatus"] is JsonArray, "the node statuses", Soon);
            var status = link["nodeStatus"]!.AsArray();
            Assert.Equal(("power", "ns=2;s=Counter", "Good"), Status(status[0]!));
            Assert.Equal("ghost", status[1]!["tag"]!.GetValue<string>());
            Assert.Null(status[1]!["resolvedNodeId"]);
            Assert.StartsWith("BadNoMatch", status[1]!["status"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal(("speed", "ns=2;s=Speed", "Good"), Status(status[2]!));
            Assert.Equal("ns=2;s=Speed is already mapped to tag 'speed'", status[3]!["status"]!.GetValue<string>());
            Assert.Contains("/Objects/2:Machine/2:Nothing: BadNoMatch", link["connection"]!["detail"]!.GetValue<string>(), StringComparison.Ordinal);

            // The server comes back with another id for the Counter: the path finds it again.
            var port = server.Port;
            await server.DisposeAsync();
            await LatestAsync(t, plant, l => l["connection"]?["online"]?.GetValue<bool>() == false);
            var restartedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            server = await OpcUaServerPeer.StartAsync(port, counterSuffix: ".v2");
            await LatestAsync(t, plant, l => l["connection"]?["online"]?.GetValue<bool>() == true && Ts(l) > restartedAt && Power(l) is > 0);
            var again = await t.Viewer.GetJsonAsync(path);
            Assert.Equal(("power", "ns=2;s=Counter.v2", "Good"), Status(again["nodeStatus"]![0]!));
        }
        finally
        {
            await server.DisposeAsync();
        }

        static (string, string?, string) Status(JsonNode n) =>
            (n["tag"]!.GetValue<string>(), n["resolvedNodeId"]?.GetValue<string>(), n["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_import_browses_the_server_and_proposes_a_map_that_is_stored_only_when_put()
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        var path = $"/api/v1/machines/{plant.MachineId}/opcua";
        await t.Operator.PostJsonAsync($"{path}/import", new { }, HttpStatusCode.NotFound);
        var server = await OpcUaServerPeer.StartAsync();
        var running = true;
        try
        {
            await t.Operator.PutJsonAsync(path, new
            {
                endpoint = server.Endpoint, publishingIntervalMs = 200, nodes = new object[] { new { nodeId = "ns=2;s=Speed", tag = "speed" } },
            }, HttpStatusCode.OK);
            await t.Viewer.PostJsonAsync($"{path}/import", new { }, HttpStatusCode.Forbidden);
            var bad = await t.Operator.PostJsonAsync($"{path}/import", new { depth = 11, samplingIntervalMs = -1 }, HttpStatusCode.BadRequest);
            Assert.True(bad["errors"]!.AsObject().ContainsKey("depth") && bad["errors"]!.AsObject().ContainsKey("samplingIntervalMs"), bad.ToJsonString());

            var proposal = await t.Operator.PostJsonAsync($"{path}/import", new { depth = 3 }, HttpStatusCode.OK);
            var connection = proposal["connection"]!;
            Assert.Equal(server.Endpoint, connection["endpoint"]!.GetValue<string>());
            var nodes = proposal["found"]!.AsArray().ToDictionary(n => n!["tag"]!.GetValue<string>());
            var counter = nodes["Machine.Counter"]!;
            Assert.Equal(("/Objects/2:Machine/2:Counter", "UInt32", "ns=2;s=Counter"),
                (counter["browsePath"]!.GetValue<string>(), counter["dataType"]!.GetValue<string>(), counter["resolvedNodeId"]!.GetValue<string>()));
            var entry = connection["nodes"]!.AsArray().Single(n => n!["tag"]!.GetValue<string>() == "Machine.Counter")!;
            Assert.Equal(("/Objects/2:Machine/2:Counter", 200), (entry["browsePath"]!.GetValue<string>(), entry["samplingIntervalMs"]!.GetValue<int>()));
            Assert.Equal("Double", nodes["Machine.Speed"]!["dataType"]!.GetValue<string>());
            Assert.Equal("Boolean", nodes["Machine.Scalars.Boolean"]!["dataType"]!.GetValue<string>());
            Assert.Equal("Int64", nodes["Machine.Scalars.Int64"]!["dataType"]!.GetValue<string>());
            // Text, dates, ids and arrays are not one number per sample; the server's own nodes (namespace 0) are not the machine's.
            Assert.DoesNotContain("Machine.Scalars.String", nodes.Keys);
            Assert.DoesNotContain("Machine.Scalars.DateTime", nodes.Keys);
            Assert.DoesNotContain(nodes.Keys, k => k.StartsWith("Machine.Arrays", StringComparison.Ordinal) || k.StartsWith("Server", StringComparison.Ordinal));
            Assert.False(proposal["truncated"]!.GetValue<bool>());

            // Proposed, not applied.
            Assert.Single((await t.Viewer.GetJsonAsync(path))["nodes"]!.AsArray());

            var put = await t.Operator.PutJsonAsync(path, connection, HttpStatusCode.OK);
            Assert.Equal(nodes.Count, put["nodes"]!.AsArray().Count);
            await LatestAsync(t, plant, l => l["values"]!.AsArray().Any(v => v!["tag"]!.GetValue<string>() == "Machine.Counter" && v["value"]!.GetValue<double>() > 0));

            // A server that is gone is a 502 naming why.
            var port = server.Port;
            running = false;
            await server.DisposeAsync();
            var gone = await t.Operator.PostJsonAsync($"{path}/import", new { }, HttpStatusCode.BadGateway);
            Assert.Contains($"127.0.0.1:{port}", gone["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        finally
        {
            if (running)
            {
                await server.DisposeAsync();
            }
        }
    }

    [Theory]
    [InlineData("""{"endpoint": "opc.tcp://127.0.0.1:4840", "nodes": [{"browsePath": "Objects/2:Machine", "tag": "a"}]}""", "nodes[0].browsePath")]
    [InlineData("""{"endpoint": "opc.tcp://127.0.0.1:4840", "nodes": [{"browsePath": "/Objects//2:Machine", "tag": "a"}]}""", "nodes[0].browsePath")]
    [InlineData("""{"endpoint": "opc.tcp://127.0.0.1:4840", "nodes": [{"browsePath": "/Objects/70000:Machine", "tag": "a"}]}""", "nodes[0].browsePath")]
    [InlineData("""{"endpoint": "opc.tcp://127.0.0.1:4840", "nodes": [{"browsePath": "/Objects/2:Machine", "nodeId": "i=85", "tag": "a"}]}""", "nodes[0].nodeId")]
    [InlineData("""{"endpoint": "opc.tcp://127.0.0.1:4840", "nodes": [{"tag": "a"}]}""", "nodes[0].nodeId")]
    public async Task A_bad_browse_path_or_an_entry_with_both_or_neither_name_is_a_problem_and_nothing_is_stored(string body, string field)
    {
        using var t = await Host.CreateTenantAsync();
        var plant = await Plant.CreateAsync(t);
        var path = $"/api/v1/machines/{plant.MachineId}/opcua";
        using var response = await t.Operator.SendRawAsync(HttpMethod.Put, path, body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), problem.ToJsonString());
        await t.Viewer.GetJsonAsync(path, HttpStatusCode.NotFound);
    }

    private static Task<JsonNode> LatestAsync(TestTenant t, Plant plant, Func<JsonNode, bool> until) => Eventually.ValueAsync(
        () => t.Viewer.GetJsonAsync($"/api/v1/machines/{plant.MachineId}/latest"), until, $"latest values of machine {plant.MachineId}", Soon);

    private static JsonNode? PowerNode(JsonNode latest) => latest["values"]!.AsArray().FirstOrDefault(v => v!["tag"]!.GetValue<string>() == "power");

    private static double? Power(JsonNode latest) => PowerNode(latest)?["value"]!.GetValue<double>();

    private static long Ts(JsonNode latest) => PowerNode(latest)?["ts"]!.GetValue<DateTimeOffset>().ToUnixTimeMilliseconds() ?? 0;

    public sealed class OnSqlite(ModbusSqliteHost host) : OpcUaMachineTests(host), IClassFixture<ModbusSqliteHost>;

    public sealed class OnPostgres(ModbusPostgresHost host) : OpcUaMachineTests(host), IClassFixture<ModbusPostgresHost>;
}
