using System.Collections.Concurrent;
using System.Net;
using Millwright.Modbus;
using Millwright.Mqtt;
using Millwright.Mqtt.Client;
using Millwright.Mqtt.Server;
using Millwright.Simulator.Drivers;
using Millwright.Simulator.Models;
using Millwright.Sparkplug;

namespace Millwright.Simulator.Tests;

/// <summary>The drivers against the project's own broker (anonymous) and Modbus client, on loopback.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes the broker through IAsyncLifetime.DisposeAsync")]
public sealed class DriverTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private MqttServer? _broker;
    private readonly ConcurrentQueue<SparkplugMessage> _seen = new();
    private MqttClientConnection? _watcher;
    private BrokerAddress _address = new("127.0.0.1", 0, "plant");

    public async Task InitializeAsync()
    {
        _broker = new MqttServer(new MqttServerOptions(), new OpenGate(allowAnonymous: true));
        var endPoint = _broker.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        _address = _address with { Port = endPoint.Port };
        _watcher = await MqttClientConnection.ConnectAsync(new MqttClientOptions("127.0.0.1", endPoint.Port, "watcher"),
            p => _seen.Enqueue(SparkplugDecoder.Decode(p.Topic, p.Payload.Span)));
        await _watcher.SubscribeAsync("spBv1.0/plant/#", QualityOfService.AtLeastOnce);
    }

    public async Task DisposeAsync()
    {
        await _watcher!.DisposeAsync();
        await _broker!.DisposeAsync();
    }

    [Fact]
    public async Task A_sparkplug_node_answers_a_rebirth_command_with_a_new_birth_in_the_same_session()
    {
        var (machine, driver) = Sparkplug("cnc-001");
        await driver.ConnectAsync(CancellationToken.None);
        await driver.SendAsync(machine.Snapshot(), DateTimeOffset.UtcNow, CancellationToken.None);
        await using var host = await MqttClientConnection.ConnectAsync(new MqttClientOptions("127.0.0.1", _address.Port, "host"));
        var rebirth = SparkplugCommands.Rebirth("plant", "cnc-001", DateTimeOffset.UtcNow);

        await host.PublishAsync(rebirth.TopicName, rebirth.Payload, QualityOfService.AtLeastOnce);
        await WaitUntilAsync(() => _seen.Any(m => m.Topic.MessageType == SparkplugMessageType.NCmd));
        await WaitUntilAsync(async () =>
        {
            await driver.SendAsync(machine.Snapshot(), DateTimeOffset.UtcNow, CancellationToken.None);
            return Births("cnc-001").Count == 2;
        });

        Assert.Equal(1, driver.Rebirths);
        Assert.All(Births("cnc-001"), b => Assert.Equal((byte)0, b.BdSeq));
        await driver.DisposeAsync();
    }

    [Fact]
    public async Task A_lost_sparkplug_connection_leaves_its_death_as_the_will_and_the_next_session_has_the_next_bdseq()
    {
        var (machine, driver) = Sparkplug("imm-001", MachineKind.InjectionMoulding);
        await driver.ConnectAsync(CancellationToken.None);
        await driver.SendAsync(machine.Snapshot(), DateTimeOffset.UtcNow, CancellationToken.None);
        await WaitUntilAsync(() => Births("imm-001").Count == 1); // QoS 0: still queued if the socket dropped now

        await driver.CloseAsync(); // the socket drops without DISCONNECT: the broker publishes the will
        await WaitUntilAsync(() => _seen.Any(m => m.Topic.MessageType == SparkplugMessageType.NDeath));
        await driver.ConnectAsync(CancellationToken.None);
        await driver.SendAsync(machine.Snapshot(), DateTimeOffset.UtcNow, CancellationToken.None);
        await WaitUntilAsync(() => Births("imm-001").Count == 2);

        Assert.Equal((byte)0, _seen.Single(m => m.Topic.MessageType == SparkplugMessageType.NDeath).BdSeq);
        Assert.Equal([(byte)0, (byte)1], Births("imm-001").Select(b => b.BdSeq!.Value));
        await driver.DisposeAsync();
    }

    [Fact]
    public async Task A_runner_reconnects_after_the_broker_restarts()
    {
        var clock = TimeProvider.System;
        var machine = MachineFactory.Create(MachineKind.Embroidery, "emb-001", 3, clock);
        var stats = new SimulatorStats();
        await using var broker = new MqttServer(new MqttServerOptions(), new OpenGate(allowAnonymous: true));
        var port = broker.Listen(new IPEndPoint(IPAddress.Loopback, 0)).Port;
        var driver = new MqttJsonDriver(new BrokerAddress("127.0.0.1", port, "plant"), "emb-001", "u", "p");
        using var stop = new CancellationTokenSource();
        var running = new MachineRunner(machine, driver, stats, clock, TimeSpan.FromMilliseconds(50), 1).RunAsync(stop.Token);
        await WaitUntilAsync(() => Task.FromResult(stats.Connected(Protocol.MqttJson) == 1));

        await broker.DisposeAsync();
        await WaitUntilAsync(() => Task.FromResult(stats.Connected(Protocol.MqttJson) == 0));
        await using var restarted = new MqttServer(new MqttServerOptions(), new OpenGate(allowAnonymous: true));
        restarted.Listen(new IPEndPoint(IPAddress.Loopback, port));
        await WaitUntilAsync(() => Task.FromResult(stats.Connected(Protocol.MqttJson) == 1));

        Assert.True(stats.Failures >= 1);
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task A_job_sent_while_the_link_is_down_is_delivered_when_the_machine_reconnects()
    {
        var driver = new MqttJsonDriver(_address, "cnc-009", "u", "p", takesJobs: true);
        await driver.ConnectAsync(CancellationToken.None);
        await driver.CloseAsync(); // the socket drops without DISCONNECT; the persistent session stays
        await using var platform = await MqttClientConnection.ConnectAsync(new MqttClientOptions("127.0.0.1", _address.Port, "platform"));
        var job = """{"type":"job","commandId":"j1","jobId":1,"quantity":1,"unitSeconds":1}"""u8.ToArray();

        Assert.Equal(ReasonCode.Success, await platform.PublishAsync("mw/plant/cnc-009/cmd", job, QualityOfService.AtLeastOnce));
        await driver.ConnectAsync(CancellationToken.None);
        byte[]? received = null;
        await WaitUntilAsync(() => driver.TryTakeCommand(out received));

        Assert.Equal(job, received);
        await driver.DisposeAsync();
    }

    [Fact]
    public async Task A_runner_in_job_mode_answers_accepted_then_completed_on_cmd_ack()
    {
        var clock = TimeProvider.System;
        var machine = MachineFactory.Create(MachineKind.InjectionMoulding, "imm-009", 4, clock);
        Assert.True(machine.TakeJobs());
        var stats = new SimulatorStats();
        var driver = new MqttJsonDriver(_address, "imm-009", "u", "p", takesJobs: true);
        var answers = new ConcurrentQueue<string>();
        await using var platform = await MqttClientConnection.ConnectAsync(new MqttClientOptions("127.0.0.1", _address.Port, "platform"),
            p => answers.Enqueue(System.Text.Encoding.UTF8.GetString(p.Payload.Span)));
        await platform.SubscribeAsync("mw/plant/imm-009/cmd/ack", QualityOfService.AtLeastOnce);
        using var stop = new CancellationTokenSource();
        var running = new MachineRunner(machine, driver, stats, clock, TimeSpan.FromMilliseconds(50), 1).RunAsync(stop.Token);
        await WaitUntilAsync(() => stats.Connected(Protocol.MqttJson) == 1);

        var job = """{"type":"job","commandId":"j7-1","jobId":7,"quantity":3,"setupSeconds":0.1,"unitSeconds":0.1}"""u8.ToArray();
        await platform.PublishAsync("mw/plant/imm-009/cmd", job, QualityOfService.AtLeastOnce);
        await WaitUntilAsync(() => answers.Count == 2);
        await stop.CancelAsync();
        await running;

        Assert.Equal("""{"commandId":"j7-1","jobId":7,"status":"accepted"}""", answers.First());
        Assert.StartsWith("""{"jobId":7,"status":"completed","good":3,""", answers.Last(), StringComparison.Ordinal);
        Assert.Equal(1, stats.Answers(Jobs.JobStatus.Completed));
    }

    [Fact]
    public async Task A_sparkplug_node_in_job_mode_takes_a_job_from_ncmd_and_answers_accepted_then_completed_in_ndata()
    {
        var clock = TimeProvider.System;
        var machine = MachineFactory.Create(MachineKind.Cnc, "cnc-002", 2, clock);
        Assert.True(machine.TakeJobs());
        var stats = new SimulatorStats();
        var driver = new SparkplugDriver(_address, "cnc-002", "u", "p", machine.Definition, clock, takesJobs: true);
        using var stop = new CancellationTokenSource();
        var running = new MachineRunner(machine, driver, stats, clock, TimeSpan.FromMilliseconds(50), 1).RunAsync(stop.Token);
        await WaitUntilAsync(() => Births("cnc-002").Count == 1);
        var birth = Births("cnc-002")[0];
        var status = birth.Metrics.Single(m => m.Name == "Answer/status");
        Assert.True(status.IsNull);
        await using var host = await MqttClientConnection.ConnectAsync(new MqttClientOptions("127.0.0.1", _address.Port, "host"));

        var job = SparkplugCommands.NodeCommand("plant", "cnc-002",
        [
            new("Command/type", SparkplugDataType.String, "job"), new("Command/commandId", SparkplugDataType.String, "j9-1"),
            new("Command/jobId", SparkplugDataType.Int64, 9L), new("Command/program", SparkplugDataType.String, "O7"),
            new("Command/quantity", SparkplugDataType.Int64, 2L), new("Command/setupSeconds", SparkplugDataType.Double, 0.1),
            new("Command/unitSeconds", SparkplugDataType.Double, 0.1),
        ], DateTimeOffset.UtcNow);
        await host.PublishAsync(job.TopicName, job.Payload, QualityOfService.AtMostOnce);
        List<object?> Statuses() => [.. _seen.Where(m => m.Topic.EdgeNodeId == "cnc-002" && m.Topic.MessageType == SparkplugMessageType.NData)
            .SelectMany(m => m.Metrics).Where(m => m.Alias == status.Alias).Select(m => m.Value)];
        await WaitUntilAsync(() => Statuses().Count == 2);
        await stop.CancelAsync();
        await running;

        Assert.Equal(["accepted", "completed"], Statuses());
        var completion = _seen.Last(m => m.Topic.MessageType == SparkplugMessageType.NData && m.Metrics.Any(x => x.Alias == status.Alias));
        var good = birth.Metrics.Single(m => m.Name == "Answer/good").Alias;
        Assert.Equal(2UL, completion.Metrics.Single(m => m.Alias == good).Value);
        Assert.Equal(1, stats.Answers(Jobs.JobStatus.Completed));
    }

    [Fact]
    public async Task A_modbus_machine_serves_its_values_in_the_registers_of_its_map()
    {
        var clock = new ManualClock();
        var machine = MachineFactory.Create(MachineKind.Cnc, "cnc-002", 5, clock);
        var map = ModbusMap.For(machine.Definition);
        await using var driver = new ModbusDriver(new IPEndPoint(IPAddress.Loopback, 0), map);
        await driver.ConnectAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromHours(3));
        machine.Tick();
        var values = machine.Snapshot();
        await driver.SendAsync(values, clock.GetUtcNow(), CancellationToken.None);

        await using var client = new ModbusTcpClient("127.0.0.1", driver.EndPoint.Port);
        foreach (var point in map)
        {
            var registers = await client.ReadHoldingRegistersAsync(point.Address, (ushort)point.Width);
            var expected = Convert.ToDouble(values[point.Tag], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(expected, ModbusPointCodec.Decode(point, registers), expected * 1e-6);
        }

        Assert.DoesNotContain(map, p => p.Tag == "program");
    }

    [Fact]
    public async Task A_modbus_machine_in_job_mode_takes_a_job_written_to_its_job_block_and_answers_in_its_status_register()
    {
        var clock = TimeProvider.System;
        var machine = MachineFactory.Create(MachineKind.Cnc, "cnc-003", 6, clock);
        Assert.True(machine.TakeJobs());
        var stats = new SimulatorStats();
        await using var driver = new ModbusDriver(new IPEndPoint(IPAddress.Loopback, 0), ModbusMap.For(machine.Definition), takesJobs: true);
        using var stop = new CancellationTokenSource();
        var running = new MachineRunner(machine, driver, stats, clock, TimeSpan.FromMilliseconds(50), 1).RunAsync(stop.Token);
        await WaitUntilAsync(() => stats.Connected(Protocol.Modbus) == 1);
        await using var platform = new ModbusTcpClient("127.0.0.1", driver.EndPoint.Port);

        // As the platform writes a command map's job: the fields (FC 16), then the code (FC 6) last.
        var program = "O42"u8.ToArray();
        ushort[] block = [0, 31, 0, 2, .. Float(0.1f), .. Float(0.1f), (ushort)((program[0] << 8) | program[1]), (ushort)(program[2] << 8), 0, 0, 0, 0, 0, 0];
        await platform.WriteMultipleRegistersAsync(ModbusJobBlock.JobId, block);
        await platform.WriteSingleRegisterAsync(ModbusJobBlock.CommandRegister, 1);
        await WaitUntilAsync(async () => (await platform.ReadHoldingRegistersAsync(ModbusJobBlock.StatusRegister, 1))[0] == 4);
        var answer = await platform.ReadHoldingRegistersAsync(ModbusJobBlock.StatusRegister, 7);
        var code = await platform.ReadHoldingRegistersAsync(ModbusJobBlock.CommandRegister, 1);
        await stop.CancelAsync();
        await running;

        Assert.Equal(new ushort[] { 4, 0, 31, 0, 2 }, answer[..5]);
        Assert.Equal(0, code[0]);
        Assert.Equal("O42", machine.Snapshot()["program"]);
        Assert.Equal(1, stats.Answers(Jobs.JobStatus.Completed));
    }

    private static ushort[] Float(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        return [(ushort)(bits >> 16), (ushort)bits];
    }

    private (SimulatedMachine, SparkplugDriver) Sparkplug(string name, MachineKind kind = MachineKind.Cnc)
    {
        var machine = MachineFactory.Create(kind, name, 1, TimeProvider.System);
        return (machine, new SparkplugDriver(_address, name, "u", "p", machine.Definition, TimeProvider.System));
    }

    private List<SparkplugMessage> Births(string node) =>
        _seen.Where(m => m.Topic.EdgeNodeId == node && m.Topic.MessageType == SparkplugMessageType.NBirth).ToList();

    private static Task WaitUntilAsync(Func<bool> condition) => Eventually.TrueAsync(condition, "the driver's condition", Deadline);

    private static Task WaitUntilAsync(Func<Task<bool>> condition) => Eventually.TrueAsync(condition, "the driver's condition", Deadline);
}
