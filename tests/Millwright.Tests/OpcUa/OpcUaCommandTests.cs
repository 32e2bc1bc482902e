using System.Net;
using System.Text.Json.Nodes;
using Millwright.Features.Telemetry;
using Millwright.Tests.Harness;
using Millwright.Tests.Production;

namespace Millwright.Tests.OpcUa;

/// <summary>
/// Commands over OPC UA against the node-opcua machine of tests/peers/opcua_server.js (its Job object): a production
/// job becomes a call of Job.Start, the call's result is the acceptance, and the monitored Job.State completes the
/// order. A refused call, a false result, a call never answered and a status no map names each end in a clear state.
/// </summary>
public abstract class OpcUaCommandTests(ProductionHost fixture)
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(30);

    private TestHost Host => fixture.Host;

    [Fact]
    public async Task A_production_job_becomes_a_method_call_and_the_monitored_status_completes_the_order()
    {
        await using var cell = await ProductionCell.CreateAsync(Host);
        await using var server = await OpcUaServerPeer.StartAsync();
        var put = await ConnectAsync(cell, server, JobMap());
        Assert.Equal("ns=2;s=Job.Start", put["commands"]!["methods"]!["job"]!["methodId"]!.GetValue<string>());

        var order = await cell.OrderAsync(3, TimeSpan.FromHours(2));
        var (mill, milling) = await cell.NextJobAsync(Soon, "mill-a", "mill-b");
        await mill.AnswerAsync(milling, "completed");

        var call = await server.Process.WaitForLineAsync(l => l.Contains("\"method\":\"Start\"", StringComparison.Ordinal), Soon);
        var called = JsonNode.Parse(call)!;
        Assert.Equal("RAL5015", called["program"]!.GetValue<string>());
        Assert.Equal(3, called["quantity"]!.GetValue<int>());
        Assert.True(called["jobId"]!.GetValue<long>() > 0);
        var done = await cell.WaitForOrderAsync(order.Id(), o => o["status"]!.GetValue<string>() == "completed", Soon);
        Assert.Null(done["problem"]);
        Assert.Equal(3, done["good"]!.GetValue<long>());
        // The answer nodes are the command channel, never telemetry; and nothing went to the machine over MQTT.
        var latest = await cell.Tenant.Viewer.GetJsonAsync($"/api/v1/machines/{cell.MachineIds["paint-1"]}/latest");
        Assert.DoesNotContain(latest["values"]!.AsArray(), v => v!["tag"]!.GetValue<string>() is "status" or "good");
        Assert.DoesNotContain(cell.Machines["paint-1"].Commands, c => c["type"]!.GetValue<string>() == "job");
    }

    [Fact]
    public async Task A_call_the_machine_refuses_gives_the_job_back_with_the_status_and_a_false_result_is_a_rejection()
    {
        await using var cell = await ProductionCell.CreateAsync(Host);
        await using var server = await OpcUaServerPeer.StartAsync();
        await ConnectAsync(cell, server, JobMap());
        await PaintWithAsync(cell, "BUSY");

        var order = await cell.OrderAsync(1, TimeSpan.FromHours(2));
        var (mill, milling) = await cell.NextJobAsync(Soon, "mill-a", "mill-b");
        await mill.AnswerAsync(milling, "completed");

        var stuck = await cell.WaitForOrderAsync(order.Id(), o => Painting(o)["note"] is not null, Soon);
        Assert.Contains("refused the call of ns=2;s=Job.Start: BadResourceUnavailable", Painting(stuck)["note"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotEqual("running", Painting(stuck)["status"]!.GetValue<string>());

        var id = cell.MachineIds["paint-1"];
        await cell.Tenant.Operator.PostJsonAsync($"/api/v1/machines/{id}/commands", new { type = "job", jobId = 5, program = "REJECT", quantity = 1 }, HttpStatusCode.Accepted);
        await LinkDetailAsync(cell, "answered false");
    }

    [Fact]
    public async Task A_call_the_machine_never_answers_rejects_the_job_after_the_map_timeout()
    {
        await using var cell = await ProductionCell.CreateAsync(Host);
        await using var server = await OpcUaServerPeer.StartAsync();
        await ConnectAsync(cell, server, JobMap(timeoutMs: 500));
        await PaintWithAsync(cell, "SILENT");

        var order = await cell.OrderAsync(1, TimeSpan.FromHours(2));
        var (mill, milling) = await cell.NextJobAsync(Soon, "mill-a", "mill-b");
        await mill.AnswerAsync(milling, "completed");

        var stuck = await cell.WaitForOrderAsync(order.Id(), o => Painting(o)["note"] is not null, Soon);
        Assert.Contains("did not answer the call of ns=2;s=Job.Start within 0.5 s", Painting(stuck)["note"]!.GetValue<string>(), StringComparison.Ordinal);
        await LinkDetailAsync(cell, "did not answer the call");
        // The session itself lives on: the machine is still online and its values still flow.
        Assert.True(Host.Service<MachineConnectivity>().Of(cell.Tenant.Id, cell.MachineIds["paint-1"])!.Online);
    }

    [Fact]
    public async Task A_status_no_map_names_is_shown_on_the_machine_and_commands_the_map_cannot_make_are_refused()
    {
        await using var cell = await ProductionCell.CreateAsync(Host);
        await using var server = await OpcUaServerPeer.StartAsync();
        var id = cell.MachineIds["paint-1"];
        await ConnectAsync(cell, server, JobMap());
        var path = $"/api/v1/machines/{id}/commands";

        await cell.Tenant.Operator.PostJsonAsync(path, new { type = "job", jobId = 77, program = "BOGUS", quantity = 1 }, HttpStatusCode.Accepted);
        await LinkDetailAsync(cell, "status value 9 of ns=2;s=Job.State is not in the machine's OPC UA command map");

        var noMethod = await cell.Tenant.Operator.PostJsonAsync(path, new { type = "stop" }, HttpStatusCode.Conflict);
        Assert.Contains("no method for 'stop'", noMethod["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var missing = await cell.Tenant.Operator.PostJsonAsync(path, new { type = "job", jobId = 78, quantity = 1 }, HttpStatusCode.Conflict);
        Assert.Contains("has no 'program' for argument 2", missing["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var unfit = await cell.Tenant.Operator.PostJsonAsync(path, new { type = "job", jobId = 79, program = "P", quantity = -1 }, HttpStatusCode.Conflict);
        Assert.Contains("'quantity' does not fit argument 3", unfit["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_command_map_is_refused_naming_the_fields_and_another_tenant_cannot_set_or_use_one()
    {
        await using var cell = await ProductionCell.CreateAsync(Host);
        using var other = await Host.CreateTenantAsync();
        var id = cell.MachineIds["paint-1"];
        var bad = Body("opc.tcp://127.0.0.1:4840", new
        {
            methods = new Dictionary<string, object>
            {
                ["job"] = new { objectId = "ns=2;x=Job", methodId = "ns=2;s=Job.Start", arguments = new object[] { new { member = "jobId", dataType = "Decimal" } } },
            },
            timeoutMs = 5,
            answer = new { statusNode = "ns=2;s=Counter", statuses = new Dictionary<string, string> { ["0"] = "accepted" } },
        });

        var problem = await cell.Tenant.Operator.PutJsonAsync($"/api/v1/machines/{id}/opcua", bad, HttpStatusCode.BadRequest);

        var errors = problem["errors"]!.AsObject();
        foreach (var field in new[] { "commands.methods.job.objectId", "commands.methods.job.arguments[0].dataType", "commands.timeoutMs", "commands.answer.statuses.0", "commands.answer" })
        {
            Assert.True(errors.ContainsKey(field), $"{field} in {errors.ToJsonString()}");
        }

        await cell.Tenant.Viewer.GetJsonAsync($"/api/v1/machines/{id}/opcua", HttpStatusCode.NotFound);
        await other.Operator.PutJsonAsync($"/api/v1/machines/{id}/opcua", Body("opc.tcp://127.0.0.1:4840", JobMap()), HttpStatusCode.NotFound);
        await other.Operator.PostJsonAsync($"/api/v1/machines/{id}/commands", new { type = "job" }, HttpStatusCode.NotFound);
    }

    private static JsonNode Painting(JsonNode order) => order["jobs"]!.AsArray().Single(j => j!["seq"]!.GetValue<int>() == 1)!;

    private static object JobMap(int timeoutMs = 5000) => new
    {
        methods = new Dictionary<string, object>
        {
            ["job"] = new
            {
                objectId = "ns=2;s=Job", methodId = "ns=2;s=Job.Start",
                arguments = new object[] { new { member = "jobId", dataType = "UInt32" }, new { member = "program", dataType = "String" }, new { member = "quantity", dataType = "UInt32" } },
            },
            ["cancel"] = new { objectId = "ns=2;s=Job", methodId = "ns=2;s=Job.Cancel", arguments = new object[] { new { member = "jobId", dataType = "UInt32" } } },
        },
        timeoutMs,
        answer = new
        {
            statusNode = "ns=2;s=Job.State",
            statuses = new Dictionary<string, string> { ["1"] = "accepted", ["3"] = "cancelled", ["4"] = "completed" },
            fields = new object[] { new { member = "jobId", nodeId = "ns=2;s=Job.Id" }, new { member = "good", nodeId = "ns=2;s=Job.Good" } },
        },
    };

    private static object Body(string endpoint, object commands) => new
    {
        endpoint, publishingIntervalMs = 100,
        nodes = new object[] { new { nodeId = "ns=2;s=Counter", tag = "power", samplingIntervalMs = 100 } },
        commands,
    };

    private async Task<JsonNode> ConnectAsync(ProductionCell cell, OpcUaServerPeer server, object commands)
    {
        var id = cell.MachineIds["paint-1"];
        var put = await cell.Tenant.Operator.PutJsonAsync($"/api/v1/machines/{id}/opcua", Body(server.Endpoint, commands), HttpStatusCode.OK);
        await Eventually.TrueAsync(() => Host.Service<MachineConnectivity>().Of(cell.Tenant.Id, id) is { Source: "opcua", Online: true },
            "paint-1 connected over OPC UA", Soon);
        return put;
    }

    /// <summary>The painting operation runs the given program from now on: orders copy the routing when made.</summary>
    private static async Task PaintWithAsync(ProductionCell cell, string program) =>
        await cell.Tenant.Admin.PutJsonAsync($"/api/v1/items/{cell.BracketId}/routing", new
        {
            operations = new object[]
            {
                new { id = "10", name = "Mill", capability = "milling", setupSeconds = 0.2, unitSeconds = 0.1, program = "O1001", materials = new[] { new { itemId = cell.BlankId, quantity = 1 } } },
                new { id = "20", name = "Paint", capability = "painting", unitSeconds = 0.1, program },
            },
        }, HttpStatusCode.OK);

    private Task<ConnectionStateProbe> LinkDetailAsync(ProductionCell cell, string text) => Eventually.ValueAsync(
        () => new ConnectionStateProbe(Host.Service<MachineConnectivity>().Of(cell.Tenant.Id, cell.MachineIds["paint-1"])?.Detail),
        p => (p.Detail ?? "").Contains(text, StringComparison.Ordinal), $"'{text}' in paint-1's link detail", Soon);

    private sealed record ConnectionStateProbe(string? Detail);

    public sealed class OnSqlite(SqliteProductionHost host) : OpcUaCommandTests(host), IClassFixture<SqliteProductionHost>;

    public sealed class OnPostgres(PostgresProductionHost host) : OpcUaCommandTests(host), IClassFixture<PostgresProductionHost>;
}
