using System.Net;
using Millwright.Mqtt.Packets;

namespace Millwright.Mqtt.Server;

/// <summary>
/// Where the broker asks the application: may this client connect, subscribe, publish, and what happens
/// to what it publishes. The platform plugs in device credentials and topic rules; the standalone broker
/// an open gate.
/// </summary>
public abstract class MqttGate
{
    public abstract ValueTask<ConnectVerdict> ConnectAsync(ConnectPacket connect, EndPoint? remote, CancellationToken cancellationToken);

    public abstract bool MaySubscribe(MqttClient client, string topicFilter);

    /// <summary>Whether the client may publish to the topic at all; checked for its will at CONNECT.</summary>
    public virtual bool MayPublish(MqttClient client, string topic) => true;

    /// <summary>
    /// Decides on an inbound publish before it is routed and acknowledged. The acknowledgement waits for the
    /// returned task, so an application can hold PUBACK until the message is durable.
    /// </summary>
    public abstract ValueTask<PublishVerdict> PublishAsync(MqttClient client, PublishPacket publish, CancellationToken cancellationToken);

    /// <summary>
    /// The key the client's session is kept under. Client ids are chosen by clients, so a gate whose clients
    /// belong to different owners scopes the key to the owner: otherwise anyone who knows or guesses a client
    /// id could take over that session, its subscriptions and its queued messages (3.1.4).
    /// </summary>
    public virtual string SessionKey(MqttClient client) => client.ClientId;

    public virtual void Disconnected(MqttClient client)
    {
    }
}

/// <summary>Success with the principal to attach, or a refusal with its CONNACK reason code.</summary>
public readonly record struct ConnectVerdict(ReasonCode Code, object? Principal = null, string? Reason = null)
{
    public static ConnectVerdict Accept(object? principal = null) => new(ReasonCode.Success, principal);

    public static ConnectVerdict Refuse(ReasonCode code, string reason) => new(code, null, reason);
}

/// <summary>Success routes the message; anything else refuses it with that PUBACK/PUBREC reason code.</summary>
public readonly record struct PublishVerdict(ReasonCode Code, string? Reason = null)
{
    public static readonly PublishVerdict Accept = new(ReasonCode.Success);

    public static PublishVerdict Refuse(ReasonCode code, string reason) => new(code, reason);
}
