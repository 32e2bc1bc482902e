using System.Net;
using System.Text.Json.Nodes;
using Millwright.Features.Telemetry;
using Millwright.Tests.Harness;
using Millwright.Tests.Production;

namespace Millwright.Tests.Modbus;

/// <summary>
/// Commands over Modbus TCP against a machine of pymodbus (tests/peers/modbus_machine.py): the command map turns a
/// production job into holding register writes, and the status register the poller reads back is the answer.
/// </summary>
public abstract class ModbusCommandTests(ProductionHost fixture)
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(20);

    private TestHost Host => fixture.Host;

    [Fact]
    public async Task A_production_job_becomes_register_writes_and_the_status_register_completes_the_order()
    {
        await using var cell = await ProductionCell.CreateAsync(Host);
        await using var machine = await StartMachineAsync("complete");
        var put = await PollWithCommandsAsync(cell, "paint-1", machine, JobBlock());
        Assert.Equal(111, put["commands"]!["commandRegister"]!.GetValue<int>());

        var order = await cell.OrderAsync(3, TimeSpan.FromHours(2));
        var (mill, milling) = await cell.NextJobAsync(Soon, "mill-a", "mill-b");
        await mill.AnswerAsync(milling, "completed");

        var written = (await machine.WaitForLineAsync(l => l.StartsWith("COMMAND ", StringComparison.Ordinal), Soon)).Split(' ');
        Assert.Equal("1", written[1]);
        Assert.True(long.Parse(written[2], System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Equal("3", written[3]);
        Assert.Equal("RAL5015", written[4]);
        var done = await cell.WaitForOrderAsync(order.Id(), o => o["status"]!.GetValue<string>() == "completed", Soon);
        Assert.Null(done["problem"]);
        Assert.Equal(3, done["good"]!.GetValue<long>());
        // The answer registers are the command channel, never telemetry.
        var latest = await cell.Tenant.Viewer.GetJsonAsync($"/api/v1/machines/{cell.MachineIds["paint-1"]}/latest");
        Assert.DoesNotContain(latest["values"]!.AsArray(), v => v!["tag"]!.GetValue<string>().StartsWith("answer", StringComparison.Ordinal));
        Assert.DoesNotContain(cell.Machines["paint-1"].Commands, c => c["type"]!.GetValue<string>() == "job");
    }

    [Fact]
    public async Task A_job_block_the_machine_refuses_to_write_is_refused_with_the_reason_and_the_order_shows_it()
    {
        await using var cell = await ProductionCell.CreateAsync(Host);
        await using var machine = await StartMachineAsync("complete");
        // Register 500 does not exist on this machine: it answers IllegalDataAddress, as a read-only block would be refused.
        await PollWithCommandsAsync(cell, "paint-1", machine, JobBlock(programAt: 500));

        var order = await cell.OrderAsync(1, TimeSpan.FromHours(2));
        var (mill, milling) = await cell.NextJobAsync(Soon, "mill-a", "mill-b");
        await mill.AnswerAsync(milling, "completed");

        var stuck = await cell.WaitForOrderAsync(order.Id(), o => o["problem"] is not null, Soon);
        var painting = stuck["jobs"]!.AsArray().Single(j => j!["seq"]!.GetValue<int>() == 1)!;
        Assert.Contains("refused the write to register 500", painting["note"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("waiting", painting["status"]!.GetValue<string>());
        Assert.DoesNotContain(machine.Lines, l => l.StartsWith("COMMAND ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_status_code_the_map_does_not_name_is_shown_on_the_machine()
    {
        await using var cell = await ProductionCell.CreateAsync(Host);
        await using var machine = await StartMachineAsync("bogus");
        var id = cell.MachineIds["paint-1"];
        await PollWithCommandsAsync(cell, "paint-1", machine, JobBlock());

        await cell.Tenant.Operator.PostJsonAsync($"/api/v1/machines/{id}/commands", new { type = "job", jobId = 77, quantity = 1, program = "P1" }, HttpStatusCode.Accepted);

        Assert.StartsWith("COMMAND 1 77 1 P1", await machine.WaitForLineAsync(l => l.StartsWith("COMMAND ", StringComparison.Ordinal), Soon), StringComparison.Ordinal);
        var connection = await Eventually.ValueAsync(() => cell.Tenant.Viewer.GetJsonAsync($"/api/v1/machines/{id}/modbus"),
            c => (c["connection"]?["detail"]?.GetValue<string>() ?? "").Contains("status code 9", StringComparison.Ordinal), "the unknown status on the machine", Soon);
        Assert.True(connection["connection"]!["online"]!.GetValue<bool>());
        // A command type the map has no code for never reaches the wire.
        var problem = await cell.Tenant.Operator.PostJsonAsync($"/api/v1/machines/{id}/commands", new { type = "stop" }, HttpStatusCode.Conflict);
        Assert.Contains("no code for 'stop'", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_command_map_is_refused_naming_the_field_and_another_tenant_cannot_set_or_use_one()
    {
        await using var cell = await ProductionCell.CreateAsync(Host);
        using var other = await Host.CreateTenantAsync();
        var id = cell.MachineIds["paint-1"];
        var bad = Body(1502, new
        {
            fields = new object[] { new { member = "jobId", address = 100, dataType = "uint32" }, new { member = "program", address = 101, dataType = "string", length = 4 } },
            codes = new { job = 1 },
            answer = new { statusRegister = 120, statuses = new Dictionary<string, string> { ["1"] = "accepted" } },
        });

        var problem = await cell.Tenant.Operator.PutJsonAsync($"/api/v1/machines/{id}/modbus", bad, HttpStatusCode.BadRequest);

        var errors = problem["errors"]!.ToJsonString();
        Assert.Contains("commands.commandRegister", errors, StringComparison.Ordinal);
        Assert.Contains("overlap", errors, StringComparison.Ordinal);
        await cell.Tenant.Viewer.GetJsonAsync($"/api/v1/machines/{id}/modbus", HttpStatusCode.NotFound);
        await other.Operator.PutJsonAsync($"/api/v1/machines/{id}/modbus", Body(1502, JobBlock()), HttpStatusCode.NotFound);
        await other.Operator.PostJsonAsync($"/api/v1/machines/{id}/commands", new { type = "job" }, HttpStatusCode.NotFound);
    }

    private static object JobBlock(int programAt = 103) => new
    {
        fields = new object[]
        {
            new { member = "jobId", address = 100, dataType = "uint32" },
            new { member = "quantity", address = 102, dataType = "uint16" },
            new { member = "program", address = programAt, dataType = "string", length = 8 },
        },
        commandRegister = 111,
        codes = new { job = 1, cancel = 2 },
        answer = new
        {
            area = "holding",
            statusRegister = 120,
            statuses = new Dictionary<string, string> { ["1"] = "accepted", ["2"] = "rejected", ["3"] = "cancelled", ["4"] = "completed" },
            fields = new object[] { new { member = "jobId", address = 121, dataType = "uint32" }, new { member = "good", address = 123, dataType = "uint16" } },
        },
    };

    private static object Body(int port, object commands) => new
    {
        host = "127.0.0.1", port, unitId = 1, intervalMs = 200, timeoutMs = 1000,
        points = new object[] { new { tag = "power", area = "holding", address = 0, dataType = "float32" } },
        commands,
    };

    private async Task<JsonNode> PollWithCommandsAsync(ProductionCell cell, string name, PeerProcess machine, object commands)
    {
        var port = int.Parse((await machine.WaitForLineAsync(l => l.StartsWith("READY ", StringComparison.Ordinal), Soon))["READY ".Length..],
            System.Globalization.CultureInfo.InvariantCulture);
        var put = await cell.Tenant.Operator.PutJsonAsync($"/api/v1/machines/{cell.MachineIds[name]}/modbus", Body(port, commands), HttpStatusCode.OK);
        await Eventually.TrueAsync(() => Host.Service<MachineConnectivity>().Of(cell.Tenant.Id, cell.MachineIds[name]) is { Source: "modbus", Online: true },
            $"{name} polled over Modbus", Soon);
        return put;
    }

    private static Task<PeerProcess> StartMachineAsync(string mode) =>
        Task.FromResult(PeerProcess.Start("/usr/bin/python3", Path.Combine(NodePeers.Folder, "modbus_machine.py"), mode));

    public sealed class OnSqlite(SqliteProductionHost host) : ModbusCommandTests(host), IClassFixture<SqliteProductionHost>;

    public sealed class OnPostgres(PostgresProductionHost host) : ModbusCommandTests(host), IClassFixture<PostgresProductionHost>;
}
