using System.Net;
using Millwright.Mqtt.Packets;
using Millwright.Mqtt.Server;
using static Millwright.Mqtt.Tests.Server.AckSteps;

namespace Millwright.Mqtt.Tests.Server;

/// <summary>
/// The gate chooses where a client's reads and publishes are handled (the platform sends a flooding tenant's
/// devices to a few threads of their own): the broker hops there after each read and stays there until the next.
/// </summary>
public sealed class ReaderSchedulerTests
{
    [Fact]
    public async Task Publishes_of_a_client_the_gate_sends_elsewhere_are_admitted_on_that_scheduler()
    {
        var elsewhere = new ConcurrentExclusiveSchedulerPair().ConcurrentScheduler;
        var gate = new SchedulingGate(client => client.ClientId == "flooding" ? elsewhere : null);
        await using var broker = TestBroker.Start(gate: gate);
        await using var flooding = await broker.ConnectRawAsync(MqttProtocolVersion.V500, "flooding");
        await using var quiet = await broker.ConnectRawAsync(MqttProtocolVersion.V500, "quiet");

        await SendQoS1Async(flooding, 1, 3);
        await SendQoS1Async(quiet, 1, 3);
        Assert.Equal([(ushort)1, (ushort)2, (ushort)3], await ReceiveAcksAsync(flooding, 3));
        Assert.Equal([(ushort)1, (ushort)2, (ushort)3], await ReceiveAcksAsync(quiet, 3));

        Assert.Equal([true, true, true], gate.AdmittedOn("flooding").Select(s => s == elsewhere));
        Assert.Equal([true, true, true], gate.AdmittedOn("quiet").Select(s => s == TaskScheduler.Default));
    }

    [Fact]
    public async Task A_client_the_gate_lets_go_of_comes_back_to_the_thread_pool()
    {
        var elsewhere = new ConcurrentExclusiveSchedulerPair().ConcurrentScheduler;
        var demoted = true;
        var gate = new SchedulingGate(_ => Volatile.Read(ref demoted) ? elsewhere : null);
        await using var broker = TestBroker.Start(gate: gate);
        await using var client = await broker.ConnectRawAsync(MqttProtocolVersion.V311, "recovering");

        await SendQoS1Async(client, 1, 1);
        Assert.Equal((ushort)1, (await ReceiveAckAsync(client)).PacketId);
        Volatile.Write(ref demoted, false);
        await SendQoS1Async(client, 2, 1);
        Assert.Equal((ushort)2, (await ReceiveAckAsync(client)).PacketId);

        Assert.Equal([elsewhere, TaskScheduler.Default], gate.AdmittedOn("recovering"));
    }

    /// <summary>Admits everything at once and records the scheduler each client's publishes were admitted on.</summary>
    private sealed class SchedulingGate(Func<MqttClient, TaskScheduler?> choose) : MqttGate
    {
        private readonly List<(string Client, TaskScheduler Scheduler)> _admitted = [];

        public IReadOnlyList<TaskScheduler> AdmittedOn(string clientId)
        {
            lock (_admitted)
            {
                return [.. _admitted.Where(a => a.Client == clientId).Select(a => a.Scheduler)];
            }
        }

        public override ValueTask<ConnectVerdict> ConnectAsync(ConnectPacket connect, EndPoint? remote, CancellationToken cancellationToken) =>
            ValueTask.FromResult(ConnectVerdict.Accept());

        public override bool MaySubscribe(MqttClient client, string topicFilter) => true;

        public override TaskScheduler? ReaderScheduler(MqttClient client) => choose(client);

        public override ValueTask<PublishVerdict> PublishAsync(MqttClient client, PublishPacket publish, CancellationToken cancellationToken)
        {
            lock (_admitted)
            {
                _admitted.Add((client.ClientId, TaskScheduler.Current));
            }

            return ValueTask.FromResult(PublishVerdict.Accept);
        }
    }
}
