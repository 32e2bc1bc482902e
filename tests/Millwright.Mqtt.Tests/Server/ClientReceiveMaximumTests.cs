using Millwright.Mqtt.Client;
using Millwright.Mqtt.Server;

namespace Millwright.Mqtt.Tests.Server;

/// <summary>
/// Our MQTT client keeps within the server's Receive Maximum (MQTT 5.0 3.3.4): with more QoS 1 publishes under way
/// than the server takes unacknowledged, the rest wait for a slot instead of getting the connection closed (0x93).
/// </summary>
public sealed class ClientReceiveMaximumTests
{
    [Fact]
    public async Task Publishes_past_the_servers_receive_maximum_wait_for_a_slot_and_all_are_acknowledged()
    {
        var gate = new DurableGate();
        await using var broker = TestBroker.Start(new MqttServerOptions { ReceiveMaximum = 3 }, gate: gate);
        await using var client = await MqttClientConnection.ConnectAsync(new MqttClientOptions("127.0.0.1", broker.Port, "flow-test"));
        Assert.Equal(3, client.ServerReceiveMaximum);

        var publishes = Enumerable.Range(0, 10).Select(i => client.PublishAsync($"t/{i}", new byte[] { (byte)i }, QualityOfService.AtLeastOnce).AsTask()).ToList();
        await gate.WaitForAdmittedAsync(3);

        // Each commit frees a slot; the client sends the next.
        var committed = 0;
        while (committed < 10)
        {
            var admitted = await gate.WaitForAdmittedAsync(Math.Min(10, committed + 1));
            Assert.True(admitted.Count - committed <= 3, $"{admitted.Count - committed} publishes unacknowledged at once");
            admitted[committed++].Commit();
        }

        Assert.All(await Task.WhenAll(publishes), code => Assert.Equal(ReasonCode.Success, code));
        Assert.False(client.Completion.IsCompleted, "the connection is still open");
    }
}
