using System.Net;
using Millwright.Mqtt.Packets;
using Millwright.Mqtt.Server;

namespace Millwright.Mqtt.Tests.Server;

/// <summary>
/// A gate whose application fails, as when the platform's store is down: at CONNECT for user "down", at
/// PUBLISH on "fail/...". On "slow/..." it holds the publish until the test releases it.
/// </summary>
internal sealed class FailingGate : MqttGate
{
    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override ValueTask<ConnectVerdict> ConnectAsync(ConnectPacket connect, EndPoint? remote, CancellationToken cancellationToken) =>
        connect.UserName == "down" ? throw new InvalidOperationException("store unavailable") : ValueTask.FromResult(ConnectVerdict.Accept());

    public override bool MaySubscribe(MqttClient client, string topicFilter) => true;

    public override async ValueTask<PublishVerdict> PublishAsync(MqttClient client, PublishPacket publish, CancellationToken cancellationToken)
    {
        if (publish.Topic.StartsWith("fail/", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("store unavailable");
        }

        if (publish.Topic.StartsWith("slow/", StringComparison.Ordinal))
        {
            Entered.TrySetResult();
            await Release.Task.WaitAsync(cancellationToken);
        }

        return PublishVerdict.Accept;
    }
}
