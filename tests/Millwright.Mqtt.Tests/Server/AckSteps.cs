using Millwright.Mqtt.Packets;
using Millwright.Mqtt.Tests.Interop;

namespace Millwright.Mqtt.Tests.Server;

/// <summary>Steps the acknowledgement pipeline's tests share: QoS 1 publishes sent back to back, and their PUBACKs read.</summary>
internal static class AckSteps
{
    internal static async Task SendQoS1Async(RawMqttClient client, int firstId, int count)
    {
        for (var id = firstId; id < firstId + count; id++)
        {
            await client.SendAsync(new PublishPacket { Topic = $"line/{id}", Payload = "v"u8.ToArray(), QoS = QualityOfService.AtLeastOnce, PacketId = (ushort)id });
        }
    }

    internal static async Task<PubAckPacket> ReceiveAckAsync(RawMqttClient client) => Assert.IsType<PubAckPacket>(await client.ReceiveAsync());

    internal static async Task<List<ushort>> ReceiveAcksAsync(RawMqttClient client, int count)
    {
        var ids = new List<ushort>();
        for (var i = 0; i < count; i++)
        {
            var ack = await ReceiveAckAsync(client);
            Assert.Equal(ReasonCode.Success, ack.ReasonCode);
            ids.Add(ack.PacketId);
        }

        return ids;
    }
}
