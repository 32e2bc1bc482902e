using System.Text;
using Millwright.Mqtt;
using Millwright.Mqtt.Packets;
using Millwright.Testing;

namespace Millwright.Tests.Cluster;

/// <summary>MQTT 5.0 clients of a node's broker, as the cluster tests' devices and integrations connect.</summary>
internal static class ClusterMqtt
{
    /// <summary>Connects with a fresh client id and checks the CONNACK is a success.</summary>
    public static async Task<RawMqttClient> ConnectAsync(int port, string user, string password)
    {
        var client = new RawMqttClient(MqttProtocolVersion.V500);
        await client.ConnectAsync(port);
        await client.SendAsync(new ConnectPacket
        {
            ProtocolVersion = MqttProtocolVersion.V500,
            ClientId = "c-" + Guid.NewGuid().ToString("N")[..12],
            KeepAliveSeconds = 30,
            UserName = user,
            Password = Encoding.UTF8.GetBytes(password),
        });
        Assert.Equal(ReasonCode.Success, Assert.IsType<ConnAckPacket>(await client.ReceiveAsync()).ReasonCode);
        return client;
    }
}
