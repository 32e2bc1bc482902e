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
    /// Admits an inbound publish: the fast half of the decision (parse, check, hand over). The connection reads
    /// nothing more from this client until the returned task completes, so a gate that is full awaits here:
    /// that is back-pressure. A success routes the message at once; its PUBACK (QoS 1) or PUBREC (QoS 2) is
    /// sent when the verdict's <see cref="PublishVerdict.Durable"/> completes, or at once without one. Meanwhile
    /// the client may have up to the server's Receive Maximum further publishes admitted, and their
    /// acknowledgements still go out in the order the PUBLISHes came (4.6).
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

    /// <summary>
    /// Where the client's next reads and publishes are handled, asked after each read: null for the thread pool.
    /// A gate may hand clients whose owner sends more than its share to a scheduler with few threads, so that their
    /// parsing cannot take every core and other clients' messages are parsed and admitted without queueing behind it.
    /// </summary>
    public virtual TaskScheduler? ReaderScheduler(MqttClient client) => null;

    /// <summary>The account whose quotas the client's use counts against (on the platform, its tenant); null: none.</summary>
    public virtual string? AccountOf(MqttClient client) => null;

    /// <summary>An account's limits: asked when the broker first meets the account and on <see cref="MqttServer.RefreshLimits"/>.</summary>
    public virtual MqttAccountLimits LimitsOf(string account) => MqttAccountLimits.None;
}

/// <summary>Success with the principal to attach, or a refusal with its CONNACK reason code.</summary>
public readonly record struct ConnectVerdict(ReasonCode Code, object? Principal = null, string? Reason = null)
{
    public static ConnectVerdict Accept(object? principal = null) => new(ReasonCode.Success, principal);

    public static ConnectVerdict Refuse(ReasonCode code, string reason) => new(code, null, reason);
}

/// <summary>
/// Admission's answer. Anything but success refuses the publish with that PUBACK/PUBREC reason code, sent in
/// its turn. Success routes the message to subscribers at once and acknowledges it when <see cref="Durable"/>
/// completes (at once when it is null):
/// <list type="bullet">
/// <item>completed successfully: success; a <c>Task&lt;PublishVerdict&gt;</c> may instead carry a late refusal
/// (its own <see cref="Durable"/> is ignored);</item>
/// <item>faulted or cancelled: the message is not safe, so no success is sent: 0x80 Unspecified error with a
/// reason string on 5.0, and on 3.1.1, which has no negative acknowledgement, the connection is closed.
/// A late refusal closes a 3.1.1 connection likewise.</item>
/// </list>
/// One task may be shared by every message of a group commit. Its exception is observed by the server.
/// </summary>
public readonly record struct PublishVerdict(ReasonCode Code, string? Reason = null, Task? Durable = null)
{
    public static readonly PublishVerdict Accept = new(ReasonCode.Success);

    public static PublishVerdict Refuse(ReasonCode code, string reason) => new(code, reason);

    /// <summary>Admitted and routed; acknowledged once <paramref name="durable"/> completes (see the type's remarks).</summary>
    public static PublishVerdict AcceptWhenDurable(Task durable)
    {
        ArgumentNullException.ThrowIfNull(durable);
        return new(ReasonCode.Success, null, durable);
    }

    /// <summary>Observes a failure of <see cref="Durable"/> where nothing else waits for it (no unobserved task exceptions).</summary>
    internal void ObserveFaults()
    {
        if (Durable is { IsCompletedSuccessfully: false } durable)
        {
            MqttServer.ObserveFaults(durable);
        }
    }
}
