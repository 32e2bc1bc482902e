using System.Net;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Millwright.Features.Connectivity;
using Millwright.Features.Telemetry;
using Millwright.Modbus;
using Millwright.Mqtt;
using Millwright.Mqtt.Client;
using Millwright.Sparkplug;
using Millwright.Tests.Harness;
using Millwright.Tests.Production;

namespace Millwright.Tests.Connectivity;

/// <summary>
/// The machine-command port through the real app: a command reaches a machine's MQTT client on its cmd topic, the
/// machine's answer on cmd/ack comes back to the handler that claims it, a Sparkplug B node is addressed by NCMD,
/// and a machine whose transport cannot take commands is refused with the reason.
/// </summary>
public sealed class MachineCommandPortTests(SqliteProductionHost fixture) : IClassFixture<SqliteProductionHost>
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(15);

    private TestHost Host => fixture.Host;

    [Fact]
    public async Task A_command_sent_through_the_port_reaches_the_machine_over_MQTT_and_its_answer_comes_back_through_the_port()
    {
        await using var cell = await ProductionCell.CreateAsync(Host);
        var port = Host.Service<IMachineCommands>();
        var probes = new ProbeAnswers();
        using var subscription = port.Subscribe(probes);

        var receipt = await port.SendAsync(Command(cell, "mill-a", """{"type": "probe", "commandId": "p-1"}"""), CancellationToken.None);

        Assert.True(receipt.Sent, receipt.Refusal);
        Assert.Equal(MachineCommandPort.MqttJson, receipt.Transport);
        Assert.Equal($"mw/{cell.Tenant.Slug}/mill-a/cmd", receipt.Address);
        var mill = cell.Machines["mill-a"];
        Assert.Equal("p-1", (await mill.NextAsync("probe", Soon))["commandId"]!.GetValue<string>());

        Assert.Equal(ReasonCode.Success, await mill.AnswerRawAsync("""{"probe": "p-1", "status": "done"}"""));
        using var within = new CancellationTokenSource(Soon);
        var answer = await probes.Answers.ReadAsync(within.Token);
        Assert.Equal(cell.Tenant.Id, answer.TenantId);
        Assert.Equal(cell.MachineIds["mill-a"], answer.MachineId);
        Assert.Equal("mill-a", answer.MachineName);
        Assert.Equal("p-1", JsonDocument.Parse(answer.Payload).RootElement.GetProperty("probe").GetString());
    }

    [Fact]
    public async Task An_answer_no_feature_claims_is_refused_with_what_was_missing()
    {
        await using var cell = await ProductionCell.CreateAsync(Host);

        Assert.Equal(ReasonCode.PayloadFormatInvalid, await cell.Machines["mill-b"].AnswerRawAsync("""{"probe": "p-2", "status": "done"}"""));
    }

    [Fact]
    public async Task A_machine_polled_over_Modbus_without_a_command_map_is_refused_commands_with_the_reason()
    {
        await using var cell = await ProductionCell.CreateAsync(Host);
        var machineId = cell.MachineIds["paint-1"];
        await using var device = new ModbusTcpServer(new ModbusRegisterBank(), new IPEndPoint(IPAddress.Loopback, 0));
        device.Start();
        await cell.PollOverModbusAsync(Host, "paint-1", device.LocalEndPoint.Port);

        var receipt = await Host.Service<IMachineCommands>().SendAsync(Command(cell, "paint-1", """{"type": "stop"}"""), CancellationToken.None);

        Assert.False(receipt.Sent);
        Assert.Equal(MachineCommandPort.Modbus, receipt.Transport);
        Assert.Contains("polled over Modbus TCP without a command map", receipt.Refusal, StringComparison.Ordinal);
        var problem = await cell.Tenant.Operator.PostJsonAsync($"/api/v1/machines/{machineId}/commands", new { type = "stop" }, HttpStatusCode.Conflict);
        Assert.Contains("Modbus TCP", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(cell.Machines["paint-1"].Commands);
    }

    [Fact]
    public async Task A_machine_born_over_Sparkplug_B_gets_its_commands_as_NCMD_on_its_own_node()
    {
        await using var cell = await ProductionCell.CreateAsync(Host);
        var machineId = cell.MachineIds["mill-b"];
        var credential = await cell.Tenant.Admin.PostJsonAsync($"/api/v1/machines/{machineId}/credentials", new { }, HttpStatusCode.Created);
        await using var node = await MqttClientConnection.ConnectAsync(
            new MqttClientOptions("127.0.0.1", Host.MqttPort, "mill-b-sparkplug")
            {
                UserName = credential["username"]!.GetValue<string>(), Password = credential["secret"]!.GetValue<string>(),
            },
            _ => { });
        var edge = new SparkplugEdgeNode(cell.Tenant.Slug, "mill-b", TimeProvider.System);
        var birth = edge.NodeBirth([new SparkplugMetricValue("power", SparkplugDataType.Float, 0f)]);
        Assert.Equal(ReasonCode.Success, await node.PublishAsync(birth.TopicName, birth.Payload, QualityOfService.AtLeastOnce));
        var connectivity = Host.Service<MachineConnectivity>();
        var deadline = DateTime.UtcNow + Soon;
        while (connectivity.Of(cell.Tenant.Id, machineId) is not { Source: "sparkplug" })
        {
            Assert.True(DateTime.UtcNow < deadline, "the Sparkplug host never reported the node's birth");
            await Task.Delay(20);
        }

        var receipt = await Host.Service<IMachineCommands>().SendAsync(Command(cell, "mill-b", """{"type": "stop"}"""), CancellationToken.None);

        Assert.True(receipt.Sent, receipt.Refusal);
        Assert.Equal(MachineCommandPort.Sparkplug, receipt.Transport);
        Assert.Equal($"spBv1.0/{cell.Tenant.Slug}/NCMD/mill-b", receipt.Address);
    }

    private static MachineCommand Command(ProductionCell cell, string machine, string json) =>
        new(cell.Tenant.Id, cell.Tenant.Slug, cell.MachineIds[machine], machine, Encoding.UTF8.GetBytes(json));

    /// <summary>Claims answers with a "probe" member, as a feature of its own would, and hands them on.</summary>
    private sealed class ProbeAnswers : IMachineAckHandler
    {
        private readonly Channel<MachineAck> _answers = Channel.CreateUnbounded<MachineAck>();

        public ChannelReader<MachineAck> Answers => _answers.Reader;

        public AckVerdict Handle(MachineAck ack)
        {
            using var json = JsonDocument.Parse(ack.Payload);
            if (!json.RootElement.TryGetProperty("probe", out _))
            {
                return AckVerdict.NotMine();
            }

            // The payload may be the transport's buffer: a handler that keeps it copies it.
            _answers.Writer.TryWrite(ack with { Payload = ack.Payload.ToArray() });
            return AckVerdict.Taken;
        }
    }
}
