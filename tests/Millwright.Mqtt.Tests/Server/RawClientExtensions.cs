using System.Text;
using Millwright.Mqtt.Packets;
using Millwright.Mqtt.Tests.Interop;

namespace Millwright.Mqtt.Tests.Server;

/// <summary>Steps the tests take with our own codec as the client, where a third-party client cannot say exactly what is needed.</summary>
internal static class RawClientExtensions
{
    private static int s_packetId;

    public static async Task SubscribeAsync(this RawMqttClient client, string filter, QualityOfService qos)
    {
        var id = NextId();
        await client.SendAsync(new SubscribePacket { PacketId = id, Subscriptions = [new Subscription(filter, qos)] });
        var ack = Assert.IsType<SubAckPacket>(await client.ReceiveAsync());
        Assert.Equal(id, ack.PacketId);
        Assert.Equal([(ReasonCode)(int)qos], ack.ReasonCodes);
    }

    /// <summary>A QoS 1 publish, returning the server's PUBACK: once it is here, the message has been routed.</summary>
    public static async Task<PubAckPacket> PublishAtLeastOnceAsync(this RawMqttClient client, string topic, string payload, MqttProperties? properties = null)
    {
        var id = NextId();
        await client.SendAsync(new PublishPacket { Topic = topic, Payload = Encoding.UTF8.GetBytes(payload), QoS = QualityOfService.AtLeastOnce, PacketId = id, Properties = properties });
        var ack = Assert.IsType<PubAckPacket>(await client.ReceiveAsync());
        Assert.Equal(id, ack.PacketId);
        return ack;
    }

    /// <summary>
    /// Everything the server sends before it answers a second PINGREQ sent after the first one's answer: the
    /// writer sends the control packets it has and then every message it may, so whatever was deliverable
    /// when the first PINGREQ was read arrives before the second answer.
    /// </summary>
    public static async Task<List<MqttPacket>> DrainAsync(this RawMqttClient client)
    {
        var seen = new List<MqttPacket>();
        for (var round = 0; round < 2; round++)
        {
            await client.SendAsync(PingReqPacket.Instance);
            while (await client.ReceiveAsync() is var packet and not PingRespPacket)
            {
                seen.Add(packet ?? throw new InvalidOperationException("the server closed the connection"));
            }
        }

        return seen;
    }

    /// <summary>Reads until the server closes the connection; a reset counts as a close.</summary>
    public static async Task<List<MqttPacket>> ReceiveUntilClosedAsync(this RawMqttClient client)
    {
        var seen = new List<MqttPacket>();
        try
        {
            while (await client.ReceiveAsync() is { } packet)
            {
                seen.Add(packet);
            }
        }
        catch (IOException)
        {
            // Connection reset by the server after it closed.
        }

        return seen;
    }

    public static string Text(this PublishPacket publish) => Encoding.UTF8.GetString(publish.Payload.Span);

    private static ushort NextId() => (ushort)((Interlocked.Increment(ref s_packetId) % 60_000) + 1);
}
