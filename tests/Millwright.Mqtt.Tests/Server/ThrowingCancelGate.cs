using System.Net;
using Millwright.Mqtt.Packets;
using Millwright.Mqtt.Server;

namespace Millwright.Mqtt.Tests.Server;

/// <summary>
/// An open gate that, on a publish to "throw/...", leaves a callback on the connection's token that throws when it is
/// cancelled: application code the broker cannot vouch for, running inside the broker's abort of that connection.
/// </summary>
internal sealed class ThrowingCancelGate : MqttGate
{
    public override ValueTask<ConnectVerdict> ConnectAsync(ConnectPacket connect, EndPoint? remote, CancellationToken cancellationToken) =>
        ValueTask.FromResult(ConnectVerdict.Accept());

    public override bool MaySubscribe(MqttClient client, string topicFilter) => true;

    public override ValueTask<PublishVerdict> PublishAsync(MqttClient client, PublishPacket publish, CancellationToken cancellationToken)
    {
        if (publish.Topic.StartsWith("throw/", StringComparison.Ordinal))
        {
            // Left registered on purpose: it runs when the broker aborts the connection.
            cancellationToken.Register(static () => throw new InvalidOperationException("a cancellation callback failed"));
        }

        return ValueTask.FromResult(PublishVerdict.Accept);
    }
}
