using Millwright.Mqtt.Packets;
using static Millwright.Mqtt.Tests.Server.AckSteps;

namespace Millwright.Mqtt.Tests.Server;

/// <summary>A connection that closes while acknowledgements are owed drops them cleanly: nothing sent, nothing owned, nothing unobserved.</summary>
public sealed class AckCloseTests
{
    [Fact]
    public async Task Closing_with_acknowledgements_owed_drops_them_and_the_session_does_not_own_a_QoS_2_message_it_never_acknowledged()
    {
        var gate = new DurableGate();
        await using var broker = TestBroker.Start(gate: gate);
        var client = await broker.ConnectRawAsync(MqttProtocolVersion.V500, "leaver", new MqttProperties { SessionExpiryInterval = 600 }, cleanStart: false);
        await client.SendAsync(new PublishPacket { Topic = "q2/x", Payload = "p"u8.ToArray(), QoS = QualityOfService.ExactlyOnce, PacketId = 9 });
        await SendQoS1Async(client, 10, 1);
        var admitted = await gate.WaitForAdmittedAsync(2);
        await client.DisposeAsync();
        await TestBroker.EventuallyAsync(() => broker.Server.Connections.Count == 0, "the connection is gone");
        admitted[0].Commit();
        admitted[1].Durable.SetException(new IOException("disk full"));

        // Its PUBREC never went, so the resent PUBLISH is admitted again rather than answered as already owned.
        await using var again = await broker.ConnectRawAsync(MqttProtocolVersion.V500, "leaver", new MqttProperties { SessionExpiryInterval = 600 }, cleanStart: false);
        await again.SendAsync(new PublishPacket { Topic = "q2/x", Payload = "p"u8.ToArray(), QoS = QualityOfService.ExactlyOnce, PacketId = 9, Dup = true });
        (await gate.WaitForAdmittedAsync(3))[2].Commit();
        Assert.Equal((ushort)9, Assert.IsType<PubRecPacket>(await again.ReceiveAsync()).PacketId);
    }

    [Fact]
    public async Task Durability_failures_of_a_closed_connection_are_observed_not_left_to_the_finalizer()
    {
        var marker = "store down " + Guid.NewGuid().ToString("N");
        var unobserved = 0;
        void Watch(object? sender, UnobservedTaskExceptionEventArgs e)
        {
            if (e.Exception.Flatten().InnerExceptions.Any(x => x.Message == marker))
            {
                Interlocked.Increment(ref unobserved);
            }
        }

        TaskScheduler.UnobservedTaskException += Watch;
        try
        {
            await FailAroundACloseAsync(marker);
            for (var i = 0; i < 3; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }

            Assert.Equal(0, Volatile.Read(ref unobserved));
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= Watch;
        }
    }

    /// <summary>A QoS 0 message's, a queued one's before the close, and the rest after it; nothing here outlives the call.</summary>
    private static async Task FailAroundACloseAsync(string marker)
    {
        var gate = new DurableGate();
        await using (var broker = TestBroker.Start(gate: gate))
        {
            await using (var client = await broker.ConnectRawAsync(MqttProtocolVersion.V500, "leaver"))
            {
                await client.SendAsync(new PublishPacket { Topic = "q0/x", Payload = "p"u8.ToArray() });
                await SendQoS1Async(client, 1, 3);
                var admitted = await gate.WaitForAdmittedAsync(4);
                admitted[0].Durable.SetException(new IOException(marker));
                admitted[2].Durable.SetException(new IOException(marker));
                await client.SendAsync(new DisconnectPacket());
                await TestBroker.EventuallyAsync(() => broker.Server.Connections.Count == 0, "the connection is gone");
                admitted[1].Durable.SetException(new IOException(marker));
                admitted[3].Durable.SetException(new IOException(marker));

                // The server may outlive the test (its meters keep it reachable): only the broker holds the tasks now.
                gate.Forget();
            }
        }
    }
}
