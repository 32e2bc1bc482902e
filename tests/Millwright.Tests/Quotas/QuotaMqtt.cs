using System.Text;
using Millwright.Mqtt;
using Millwright.Mqtt.Packets;
using Millwright.Tests.Harness;

namespace Millwright.Tests.Quotas;

/// <summary>The few MQTT exchanges the quota tests make, on the raw client so that every reason code is visible.</summary>
internal static class QuotaMqtt
{
    public static async Task<(RawMqttClient Client, ConnAckPacket Ack)> TryConnectAsync(
        TestHost host, MqttProtocolVersion version, string user, string password, string? clientId = null, uint sessionExpiry = 0, bool cleanStart = true)
    {
        var client = new RawMqttClient(version);
        await client.ConnectAsync(host.MqttPort);
        await client.SendAsync(new ConnectPacket
        {
            ProtocolVersion = version,
            ClientId = clientId ?? "q-" + Guid.NewGuid().ToString("N")[..12],
            KeepAliveSeconds = 30,
            CleanStart = cleanStart,
            UserName = user,
            Password = Encoding.UTF8.GetBytes(password),
            Properties = sessionExpiry > 0 ? new MqttProperties { SessionExpiryInterval = sessionExpiry } : null,
        });
        return (client, Assert.IsType<ConnAckPacket>(await client.ReceiveAsync()));
    }

    public static async Task<RawMqttClient> ConnectAsync(TestHost host, MqttProtocolVersion version, string user, string password, uint sessionExpiry = 0)
    {
        var (client, ack) = await TryConnectAsync(host, version, user, password, sessionExpiry: sessionExpiry);
        Assert.Equal(ReasonCode.Success, ack.ReasonCode);
        return client;
    }

    public static async Task<PubAckPacket> PublishAsync(RawMqttClient client, string topic, string payload, bool retain = false, ushort packetId = 1)
    {
        await client.SendAsync(new PublishPacket { Topic = topic, QoS = QualityOfService.AtLeastOnce, PacketId = packetId, Retain = retain, Payload = Encoding.UTF8.GetBytes(payload) });
        var ack = Assert.IsType<PubAckPacket>(await client.ReceiveAsync());
        Assert.Equal(packetId, ack.PacketId);
        return ack;
    }

    public static async Task<IReadOnlyList<ReasonCode>> SubscribeAsync(RawMqttClient client, params string[] filters)
    {
        await client.SendAsync(new SubscribePacket { PacketId = 2, Subscriptions = [.. filters.Select(f => new Subscription(f, QualityOfService.AtLeastOnce))] });
        return Assert.IsType<SubAckPacket>(await client.ReceiveAsync()).ReasonCodes;
    }
}
