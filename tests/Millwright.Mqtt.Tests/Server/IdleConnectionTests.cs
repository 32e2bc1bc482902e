using System.Net;
using Millwright.Mqtt.Client;
using Millwright.Mqtt.Packets;

namespace Millwright.Mqtt.Tests.Server;

/// <summary>
/// What an idle connection keeps: no writer (a flush runs only when there is something to send), no token linked to
/// the server's; and that it is still served: messages reach it, and the server's stop closes it.
/// </summary>
public sealed class IdleConnectionTests
{
    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task An_idle_connection_keeps_no_writer_and_a_message_to_it_starts_one(MqttProtocolVersion version)
    {
        await using var broker = TestBroker.Start();
        await using var subscriber = await broker.ConnectRawAsync(version, "idle-sub");
        await subscriber.SendAsync(new SubscribePacket { PacketId = 1, Subscriptions = [new Subscription("idle/#", QualityOfService.AtLeastOnce)] });
        Assert.IsType<SubAckPacket>(await subscriber.ReceiveAsync());
        var connection = Assert.Single(broker.Server.Connections);
        await TestBroker.EventuallyAsync(() => connection.WriterIsFree, "the writer gone once the SUBACK was sent");

        for (var i = 1; i <= 3; i++)
        {
            broker.Server.Publish("idle/x", new[] { (byte)i }, QualityOfService.AtLeastOnce);
            var publish = Assert.IsType<PublishPacket>(await subscriber.ReceiveAsync());
            Assert.Equal(i, publish.Payload.Span[0]);
            await subscriber.SendAsync(new PubAckPacket { PacketId = publish.PacketId });
            await TestBroker.EventuallyAsync(() => connection.WriterIsFree, "the writer gone again after the delivery");
        }

        await subscriber.SendAsync(PingReqPacket.Instance);
        Assert.IsType<PingRespPacket>(await subscriber.ReceiveAsync());
    }

    [Fact]
    public async Task Stopping_the_server_closes_idle_connections_telling_5_0_clients_why()
    {
        var broker = TestBroker.Start();
        await using var v5 = await broker.ConnectRawAsync(MqttProtocolVersion.V500, "idle-5");
        await using var v311 = await broker.ConnectRawAsync(MqttProtocolVersion.V311, "idle-3");
        await TestBroker.EventuallyAsync(() => broker.Server.Connections.All(c => c.WriterIsFree), "both idle");

        await broker.DisposeAsync();

        Assert.Equal(ReasonCode.ServerShuttingDown, Assert.IsType<DisconnectPacket>(await v5.ReceiveAsync()).ReasonCode);
        Assert.Null(await v5.ReceiveAsync());
        Assert.Null(await v311.ReceiveAsync());
        Assert.Equal(0, broker.Server.ConnectionCount);
    }

    [Fact]
    public async Task A_client_connects_from_the_local_address_it_names()
    {
        await using var broker = TestBroker.Start();
        var from = IPAddress.Parse("127.0.0.2");
        await using var client = await MqttClientConnection.ConnectAsync(new MqttClientOptions("127.0.0.1", broker.Port, "from-2") { LocalAddress = from });

        var remote = Assert.IsType<IPEndPoint>(broker.Server.FindSession("from-2")?.Client?.Remote);
        Assert.Equal(from, remote.Address);
    }
}
