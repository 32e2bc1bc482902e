using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Millwright.Features.Connectivity;
using Millwright.Features.Telemetry;
using Millwright.Tests.Harness;
using Millwright.Tests.Production;

namespace Millwright.Tests.Connectivity;

/// <summary>
/// Commands over Sparkplug B against Eclipse Tahu's JavaScript edge client: the machine-command port sends a
/// command as NCMD (to an edge node) or DCMD (to a device under a gateway) with one <c>Command/*</c> metric per
/// member, and the machine's <c>Answer/*</c> metrics in NDATA/DDATA come back as the answer production reads.
/// </summary>
public abstract class SparkplugCommandTests(ProductionHost fixture)
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(20);

    private TestHost Host => fixture.Host;

    [Fact]
    public async Task A_production_job_reaches_a_Sparkplug_device_as_DCMD_metrics_and_its_DDATA_answers_complete_the_order()
    {
        await using var cell = await ProductionCell.CreateAsync(Host);
        var gateway = await GatewayAsync(cell);
        await using var tahu = StartTahu(cell, gateway, node: "gw", device: "paint-1", answer: new { job = new[] { "accepted", "completed" } });
        await tahu.ReadyAsync();
        await SparkplugLinkAsync(cell, "paint-1");

        var order = await cell.OrderAsync(2, TimeSpan.FromHours(2));
        var (mill, milling) = await cell.NextJobAsync(Soon, "mill-a", "mill-b");
        await mill.AnswerAsync(milling, "completed");

        var dcmd = await tahu.WaitForAsync("dcmd", Soon);
        Assert.Equal("paint-1", dcmd.GetProperty("device").GetString());
        var metrics = Metrics(dcmd);
        Assert.Equal("job", metrics["Command/type"].GetString());
        Assert.Equal("RAL5015", metrics["Command/program"].GetString());
        Assert.Equal(2, metrics["Command/quantity"].GetInt64());
        Assert.True(metrics["Command/jobId"].GetInt64() > 0);
        var done = await cell.WaitForOrderAsync(order.Id(), o => o["status"]!.GetValue<string>() == "completed", Soon);
        Assert.Null(done["problem"]);
        Assert.Equal(2, done["good"]!.GetValue<long>());
        // The MQTT JSON client of the same machine heard nothing: its transport is Sparkplug now.
        Assert.DoesNotContain(cell.Machines["paint-1"].Commands, c => c["type"]!.GetValue<string>() == "job");
        // The command channel's metrics are not machine data.
        var latest = await cell.Tenant.Viewer.GetJsonAsync($"/api/v1/machines/{cell.MachineIds["paint-1"]}/latest");
        Assert.DoesNotContain(latest["values"]!.AsArray(), v => v!["tag"]!.GetValue<string>().StartsWith("Answer", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_command_to_an_edge_node_goes_out_as_NCMD_and_its_NDATA_answer_comes_back_through_the_port()
    {
        await using var cell = await ProductionCell.CreateAsync(Host);
        var credential = await cell.Tenant.Admin.PostJsonAsync($"/api/v1/machines/{cell.MachineIds["mill-b"]}/credentials", new { }, HttpStatusCode.Created);
        await using var tahu = StartTahu(cell, credential, node: "mill-b", device: null, answer: new { probe = new[] { "done" } });
        await tahu.ReadyAsync();
        await SparkplugLinkAsync(cell, "mill-b");
        var probes = new ProbeAnswers();
        using var subscription = Host.Service<IMachineCommands>().Subscribe(probes);

        var receipt = await Host.Service<IMachineCommands>().SendAsync(new MachineCommand(cell.Tenant.Id, cell.Tenant.Slug, cell.MachineIds["mill-b"], "mill-b",
            Encoding.UTF8.GetBytes("""{"type": "probe", "commandId": "p-7", "feed": 0.5, "dry": true, "axes": ["x", "y"]}""")), CancellationToken.None);

        Assert.True(receipt.Sent, receipt.Refusal);
        Assert.Equal(MachineCommandPort.Sparkplug, receipt.Transport);
        Assert.Equal($"spBv1.0/{cell.Tenant.Slug}/NCMD/mill-b", receipt.Address);
        var metrics = Metrics(await tahu.WaitForAsync("ncmd", Soon));
        Assert.Equal("p-7", metrics["Command/commandId"].GetString());
        Assert.Equal(0.5, metrics["Command/feed"].GetDouble());
        Assert.True(metrics["Command/dry"].GetBoolean());
        // A nested value travels as its JSON text, as the command held it.
        Assert.Equal("""["x", "y"]""", metrics["Command/axes"].GetString());
        using var within = new CancellationTokenSource(Soon);
        var answer = await probes.Answers.ReadAsync(within.Token);
        Assert.Equal(cell.MachineIds["mill-b"], answer.MachineId);
        using var json = JsonDocument.Parse(answer.Payload);
        Assert.Equal("p-7", json.RootElement.GetProperty("commandId").GetString());
        Assert.Equal("done", json.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_malformed_answer_is_shown_on_the_machine_and_the_job_goes_back_after_the_answer_timeout()
    {
        await using var cell = await ProductionCell.CreateAsync(Host);
        var gateway = await GatewayAsync(cell);
        await using var tahu = StartTahu(cell, gateway, node: "gw", device: "paint-1", answer: new { job = new[] { "maybe" } });
        await tahu.ReadyAsync();
        await SparkplugLinkAsync(cell, "paint-1");

        var order = await cell.OrderAsync(1, TimeSpan.FromHours(2));
        var (mill, milling) = await cell.NextJobAsync(Soon, "mill-a", "mill-b");
        await mill.AnswerAsync(milling, "completed");
        await tahu.WaitForAsync("dcmd", Soon);

        var latest = await Eventually.ValueAsync(() => cell.Tenant.Viewer.GetJsonAsync($"/api/v1/machines/{cell.MachineIds["paint-1"]}/latest"),
            l => (l["connection"]?["detail"]?.GetValue<string>() ?? "").Contains("answer to a command", StringComparison.Ordinal), "the refused answer on the machine", Soon);
        Assert.Contains("status must be accepted, rejected, cancelled or completed", latest["connection"]!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await Eventually.ValueAsync(() => cell.Tenant.Viewer.GetJsonAsync($"/api/v1/machines/{cell.MachineIds["paint-1"]}/telemetry-flags"),
            flags => flags.AsArray().Any(f => f!["tag"]!.GetValue<string>() == "sparkplug.DDATA" && f["reason"]!.GetValue<string>() == "command-answer"), "the refused answer's flag", Soon);
        // Unanswered in production's terms: the job goes back and is sent again, never left hanging.
        await tahu.WaitForAsync("dcmd", Soon);
        var order2 = await cell.Tenant.Viewer.GetJsonAsync($"/api/v1/orders/{order.Id()}");
        Assert.NotEqual("completed", order2["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Another_tenant_cannot_command_a_Sparkplug_machine_and_a_dead_node_is_refused_with_the_reason()
    {
        await using var cell = await ProductionCell.CreateAsync(Host);
        using var other = await Host.CreateTenantAsync();
        var credential = await cell.Tenant.Admin.PostJsonAsync($"/api/v1/machines/{cell.MachineIds["mill-b"]}/credentials", new { }, HttpStatusCode.Created);
        var machine = cell.MachineIds["mill-b"];
        await using (var tahu = StartTahu(cell, credential, node: "mill-b", device: null, answer: null))
        {
            await tahu.ReadyAsync();
            await SparkplugLinkAsync(cell, "mill-b");
            await other.Operator.PostJsonAsync($"/api/v1/machines/{machine}/commands", new { type = "stop" }, HttpStatusCode.NotFound);
            await cell.Tenant.Operator.PostJsonAsync($"/api/v1/machines/{machine}/commands", new { type = "stop" }, HttpStatusCode.Accepted);
            Assert.Equal("stop", Metrics(await tahu.WaitForAsync("ncmd", Soon))["Command/type"].GetString());
        }

        // Tahu's will message is its NDEATH: the node is offline, and a QoS 0 command to it would be lost.
        await Eventually.TrueAsync(() => Host.Service<MachineConnectivity>().Of(cell.Tenant.Id, machine) is { Online: false }, "the node's death", Soon);
        var problem = await cell.Tenant.Operator.PostJsonAsync($"/api/v1/machines/{machine}/commands", new { type = "stop" }, HttpStatusCode.Conflict);
        Assert.Contains("offline over Sparkplug B", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static async Task<JsonNode> GatewayAsync(ProductionCell cell)
    {
        var id = (await cell.Tenant.Admin.PostJsonAsync("/api/v1/machines", new { lineId = cell.LineId, typeId = cell.TypeId, name = "gw" }, HttpStatusCode.Created)).Id();
        return await cell.Tenant.Admin.PostJsonAsync($"/api/v1/machines/{id}/credentials", new { }, HttpStatusCode.Created);
    }

    private async Task SparkplugLinkAsync(ProductionCell cell, string machine) =>
        await Eventually.TrueAsync(() => Host.Service<MachineConnectivity>().Of(cell.Tenant.Id, cell.MachineIds[machine]) is { Source: "sparkplug", Online: true },
            $"{machine} born over Sparkplug B", Soon);

    private TahuPeer StartTahu(ProductionCell cell, JsonNode credential, string node, string? device, object? answer) => TahuPeer.Start(new
    {
        url = $"mqtt://127.0.0.1:{Host.MqttPort}",
        username = credential["username"]!.GetValue<string>(),
        password = credential["secret"]!.GetValue<string>(),
        clientId = credential["username"]!.GetValue<string>(),
        group = cell.Tenant.Slug,
        node,
        rebirthMetric = true,
        birth = new object[] { new { name = "power", type = "Float", value = 0.0 } },
        data = new object[] { new { name = "power", type = "Float", value = 0.0 } },
        device = device is null ? null : new
        {
            id = device,
            birth = new object[] { new { name = "power", type = "Double", value = 0.0 } },
            data = new object[] { new { name = "power", type = "Double", value = 0.0 } },
        },
        answer,
    });

    private static Dictionary<string, JsonElement> Metrics(JsonElement command) =>
        command.GetProperty("metrics").EnumerateArray().ToDictionary(m => m.GetProperty("name").GetString()!, m => m.GetProperty("value"));

    /// <summary>Claims answers whose commandId starts with "p-", as a feature of its own would.</summary>
    private sealed class ProbeAnswers : IMachineAckHandler
    {
        private readonly Channel<MachineAck> _answers = Channel.CreateUnbounded<MachineAck>();

        public ChannelReader<MachineAck> Answers => _answers.Reader;

        public AckVerdict Handle(MachineAck ack)
        {
            using var json = JsonDocument.Parse(ack.Payload);
            if (!json.RootElement.TryGetProperty("commandId", out var id) || id.GetString()?.StartsWith("p-", StringComparison.Ordinal) != true)
            {
                return AckVerdict.NotMine();
            }

            _answers.Writer.TryWrite(ack with { Payload = ack.Payload.ToArray() });
            return AckVerdict.Taken;
        }
    }

    public sealed class OnSqlite(SqliteProductionHost host) : SparkplugCommandTests(host), IClassFixture<SqliteProductionHost>;

    public sealed class OnPostgres(PostgresProductionHost host) : SparkplugCommandTests(host), IClassFixture<PostgresProductionHost>;
}
