using Millwright.Mqtt.Packets;
using Millwright.Mqtt.Server;

using static Millwright.Mqtt.Tests.Server.AckSteps;

namespace Millwright.Mqtt.Tests.Server;

/// <summary>
/// The acknowledgement pipeline: PUBACK and PUBREC wait for their message's durability while the broker
/// keeps reading, and go out in the order the PUBLISHes came (4.6). A PINGRESP is the probe throughout: the
/// broker answers it as soon as it reads it, so it arriving first shows both that reading went on and that
/// no acknowledgement had been sent before it.
/// </summary>
public sealed class PipelinedAckTests
{
    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Ten_QoS_1_publishes_awaiting_durability_get_no_PUBACK_until_released_while_the_broker_keeps_reading(MqttProtocolVersion version)
    {
        var gate = new DurableGate();
        await using var broker = TestBroker.Start(gate: gate);
        await using var client = await broker.ConnectRawAsync(version, "pipelined");
        await SendQoS1Async(client, 1, 10);
        var admitted = await gate.WaitForAdmittedAsync(10);

        await client.SendAsync(PingReqPacket.Instance);
        Assert.IsType<PingRespPacket>(await client.ReceiveAsync());
        Assert.Equal(10, Assert.Single(broker.Server.Connections).PendingAcks);

        foreach (var admission in admitted)
        {
            admission.Commit();
        }

        Assert.Equal(Enumerable.Range(1, 10).Select(i => (ushort)i), await ReceiveAcksAsync(client, 10));
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Durability_completing_out_of_order_still_acknowledges_in_arrival_order(MqttProtocolVersion version)
    {
        var gate = new DurableGate();
        await using var broker = TestBroker.Start(gate: gate);
        await using var client = await broker.ConnectRawAsync(version, "shuffled");
        await SendQoS1Async(client, 1, 10);
        var admitted = await gate.WaitForAdmittedAsync(10);

        // Everything but the first is durable: nothing may go before the first's PUBACK.
        foreach (var admission in admitted.Skip(1).Reverse())
        {
            admission.Commit();
        }

        await client.SendAsync(PingReqPacket.Instance);
        Assert.IsType<PingRespPacket>(await client.ReceiveAsync());

        admitted[0].Commit();
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (ushort)i), await ReceiveAcksAsync(client, 10));

        // A later publish whose wait is over goes at once behind them.
        await SendQoS1Async(client, 11, 1);
        (await gate.WaitForAdmittedAsync(11))[10].Commit();
        Assert.Equal([(ushort)11], await ReceiveAcksAsync(client, 1));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_failed_durability_is_acknowledged_with_0x80_and_a_reason_on_5_0(bool cancelled)
    {
        var gate = new DurableGate();
        await using var broker = TestBroker.Start(gate: gate);
        await using var client = await broker.ConnectRawAsync(MqttProtocolVersion.V500, "unlucky");
        await SendQoS1Async(client, 1, 3);
        var admitted = await gate.WaitForAdmittedAsync(3);
        admitted[2].Commit();
        if (cancelled)
        {
            admitted[1].Durable.SetCanceled();
        }
        else
        {
            admitted[1].Durable.SetException(new IOException("disk full"));
        }

        admitted[0].Commit();

        var acks = new[] { await ReceiveAckAsync(client), await ReceiveAckAsync(client), await ReceiveAckAsync(client) };
        Assert.Equal([(ushort)1, (ushort)2, (ushort)3], acks.Select(a => a.PacketId));
        Assert.Equal([ReasonCode.Success, ReasonCode.UnspecifiedError, ReasonCode.Success], acks.Select(a => a.ReasonCode));
        Assert.False(string.IsNullOrEmpty(acks[1].Properties?.ReasonString));
        Assert.DoesNotContain("disk full", acks[1].Properties!.ReasonString, StringComparison.Ordinal);

        await client.SendAsync(PingReqPacket.Instance);
        Assert.IsType<PingRespPacket>(await client.ReceiveAsync());
    }

    [Fact]
    public async Task A_failed_durability_closes_a_3_1_1_connection_without_acknowledging_it_or_anything_after_it()
    {
        var gate = new DurableGate();
        await using var broker = TestBroker.Start(gate: gate);
        await using var client = await broker.ConnectRawAsync(MqttProtocolVersion.V311, "unlucky");
        await SendQoS1Async(client, 1, 3);
        var admitted = await gate.WaitForAdmittedAsync(3);
        admitted[1].Commit();
        admitted[2].Commit();
        admitted[0].Durable.SetException(new IOException("disk full"));

        // 3.1.1 has no negative PUBACK, and a positive one would claim the message is safe.
        Assert.Empty(await client.ReceiveUntilClosedAsync());
        await TestBroker.EventuallyAsync(() => broker.Server.Connections.Count == 0, "the connection is gone");
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task A_late_refusal_reaches_a_5_0_client_as_its_reason_code_and_closes_a_3_1_1_one(MqttProtocolVersion version)
    {
        var gate = new DurableGate();
        await using var broker = TestBroker.Start(gate: gate);
        await using var client = await broker.ConnectRawAsync(version, "over-quota");
        await SendQoS1Async(client, 1, 1);
        (await gate.WaitForAdmittedAsync(1))[0].Durable.SetResult(PublishVerdict.Refuse(ReasonCode.QuotaExceeded, "tenant storage quota reached"));

        if (version == MqttProtocolVersion.V500)
        {
            var ack = await ReceiveAckAsync(client);
            Assert.Equal(ReasonCode.QuotaExceeded, ack.ReasonCode);
            Assert.Equal("tenant storage quota reached", ack.Properties?.ReasonString);
        }
        else
        {
            Assert.Empty(await client.ReceiveUntilClosedAsync());
        }
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task A_QoS_2_PUBREC_waits_for_durability_and_a_PUBLISH_resent_meanwhile_is_not_admitted_twice(MqttProtocolVersion version)
    {
        var gate = new DurableGate();
        await using var broker = TestBroker.Start(gate: gate);
        await using var watcher = await broker.ConnectRawAsync(version, "watcher");
        await watcher.SubscribeAsync("q2/#", QualityOfService.AtMostOnce);
        await using var client = await broker.ConnectRawAsync(version, "exactly-once");
        var publish = new PublishPacket { Topic = "q2/x", Payload = "once"u8.ToArray(), QoS = QualityOfService.ExactlyOnce, PacketId = 7 };
        await client.SendAsync(publish);
        var admission = Assert.Single(await gate.WaitForAdmittedAsync(1));

        publish.Dup = true;
        await client.SendAsync(publish);
        await client.SendAsync(PingReqPacket.Instance);
        Assert.IsType<PingRespPacket>(await client.ReceiveAsync());

        // The one PUBREC, once the message is safe, answers both copies.
        admission.Commit();
        var rec = Assert.IsType<PubRecPacket>(await client.ReceiveAsync());
        Assert.Equal((ushort)7, rec.PacketId);
        Assert.Equal(ReasonCode.Success, rec.ReasonCode);
        await client.SendAsync(PingReqPacket.Instance);
        Assert.IsType<PingRespPacket>(await client.ReceiveAsync());

        // After PUBREC the message is the server's: a third copy is answered from the session at once.
        await client.SendAsync(publish);
        Assert.Equal((ushort)7, Assert.IsType<PubRecPacket>(await client.ReceiveAsync()).PacketId);
        await client.SendAsync(new PubRelPacket { PacketId = 7 });
        var comp = Assert.IsType<PubCompPacket>(await client.ReceiveAsync());
        Assert.Equal(ReasonCode.Success, comp.ReasonCode);

        Assert.Single(gate.Admitted);
        Assert.Equal("once", Assert.IsType<PublishPacket>(Assert.Single(await watcher.DrainAsync())).Text());
    }

    [Fact]
    public async Task A_QoS_2_PUBLISH_resent_after_its_PUBREC_is_answered_in_its_turn_behind_owed_acknowledgements()
    {
        var gate = new DurableGate();
        await using var broker = TestBroker.Start(gate: gate);
        await using var client = await broker.ConnectRawAsync(MqttProtocolVersion.V500, "resender");
        var publish = new PublishPacket { Topic = "q2/x", Payload = "once"u8.ToArray(), QoS = QualityOfService.ExactlyOnce, PacketId = 5 };
        await client.SendAsync(publish);
        (await gate.WaitForAdmittedAsync(1))[0].Commit();
        Assert.Equal((ushort)5, Assert.IsType<PubRecPacket>(await client.ReceiveAsync()).PacketId);

        await SendQoS1Async(client, 1, 1);
        var held = (await gate.WaitForAdmittedAsync(2))[1];
        publish.Dup = true;
        await client.SendAsync(publish);
        await client.SendAsync(PingReqPacket.Instance);
        Assert.IsType<PingRespPacket>(await client.ReceiveAsync());

        held.Commit();
        Assert.Equal((ushort)1, (await ReceiveAckAsync(client)).PacketId);
        Assert.Equal((ushort)5, Assert.IsType<PubRecPacket>(await client.ReceiveAsync()).PacketId);
        Assert.Equal(2, gate.Admitted.Count);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Every_acknowledgement_arrives_when_durability_completes_while_the_broker_queues_it(MqttProtocolVersion version)
    {
        // A commit finishing between the broker's look at the wait and its queueing of the answer once left
        // that PUBACK or PUBREC queued with nothing to release it (a CI run saw the PUBREC never come).
        var gate = new DurableGate { CommitRacing = true };
        await using var broker = TestBroker.Start(gate: gate);
        await using var client = await broker.ConnectRawAsync(version, "racing");
        for (var i = 0; i < 2_000; i++)
        {
            var id = (ushort)(i % 60_000 + 1);
            var qos = i % 2 == 0 ? QualityOfService.AtLeastOnce : QualityOfService.ExactlyOnce;
            await client.SendAsync(new PublishPacket { Topic = "race/x", Payload = "v"u8.ToArray(), QoS = qos, PacketId = id });
            if (qos == QualityOfService.AtLeastOnce)
            {
                Assert.Equal(id, (await ReceiveAckAsync(client)).PacketId);
                continue;
            }

            Assert.Equal(id, Assert.IsType<PubRecPacket>(await client.ReceiveAsync()).PacketId);
            await client.SendAsync(new PubRelPacket { PacketId = id });
            Assert.Equal(id, Assert.IsType<PubCompPacket>(await client.ReceiveAsync()).PacketId);
        }

        Assert.Equal(2_000, gate.Admitted.Count);
    }
}
