using Millwright.Mqtt.Packets;
using Millwright.Mqtt.Tests.Interop;

namespace Millwright.Mqtt.Tests.Server;

/// <summary>Keep-alive (3.1.2.10): a client silent for one and a half times its keep-alive is closed, others are not.</summary>
public sealed class KeepAliveTests
{
    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task A_silent_client_is_closed_after_one_and_a_half_times_its_keep_alive(MqttProtocolVersion version)
    {
        await using var broker = TestBroker.Start();
        await using var busy = await broker.ConnectRawAsync(version, "busy", keepAlive: 60);
        await using var silent = await broker.ConnectRawAsync(version, "silent", keepAlive: 1);

        // The server checks once a second; the raw client's receive gives up after 10 s.
        var last = await silent.ReceiveAsync();
        if (version == MqttProtocolVersion.V500)
        {
            Assert.Equal(ReasonCode.KeepAliveTimeout, Assert.IsType<DisconnectPacket>(last).ReasonCode);
            last = await silent.ReceiveAsync();
        }

        Assert.Null(last);
        await busy.SendAsync(PingReqPacket.Instance);
        Assert.IsType<PingRespPacket>(await busy.ReceiveAsync());
    }

    [Fact]
    public async Task A_cancellation_callback_that_throws_in_an_abort_closes_its_connection_and_housekeeping_goes_on()
    {
        await using var broker = TestBroker.Start(gate: new ThrowingCancelGate());
        await using var throwing = await broker.ConnectRawAsync(MqttProtocolVersion.V500, "throwing", keepAlive: 1);
        await throwing.SendAsync(new PublishPacket { Topic = "throw/x", Payload = new byte[] { 1 } });

        // Its keep-alive abort runs the throwing callback; the connection is closed all the same.
        Assert.Equal(ReasonCode.KeepAliveTimeout, Assert.IsType<DisconnectPacket>(await throwing.ReceiveAsync()).ReasonCode);
        Assert.Null(await throwing.ReceiveAsync());

        // The checks go on after the failure: a client silent after it is closed as well.
        await using var later = await broker.ConnectRawAsync(MqttProtocolVersion.V500, "later", keepAlive: 1);
        Assert.Equal(ReasonCode.KeepAliveTimeout, Assert.IsType<DisconnectPacket>(await later.ReceiveAsync()).ReasonCode);
        Assert.Null(await later.ReceiveAsync());
    }
}
