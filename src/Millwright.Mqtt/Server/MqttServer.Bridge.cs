using System.Buffers;
using Millwright.Mqtt.Codec;
using Millwright.Mqtt.Packets;

namespace Millwright.Mqtt.Server;

/// <summary>The broker's side of a bridge to other nodes' brokers (<see cref="IMqttBridge"/>).</summary>
public sealed partial class MqttServer
{
    private IMqttBridge? _bridge;
    private IRetainedReplica? _retainedReplica;
    private ISessionReplica? _sessionReplica;

    internal ISessionReplica? SessionReplica => Volatile.Read(ref _sessionReplica);

    /// <summary>
    /// Keeps persistent sessions beyond this broker (<see cref="ISessionReplica"/>): from now on every CONNECT asks it
    /// for the client's session, and a session it keeps gets its messages from it. Set once, before clients connect.
    /// </summary>
    public void AttachSessionReplica(ISessionReplica replica)
    {
        if (Interlocked.CompareExchange(ref _sessionReplica, replica, null) is not null)
        {
            throw new InvalidOperationException("the broker already has a session replica");
        }
    }

    /// <summary>
    /// Connects this broker to its peers: the filters subscribed so far are reported to it at once, and from now on
    /// every change of them, and every message routed here that did not come over the bridge is offered to it. Set once.
    /// </summary>
    public void AttachBridge(IMqttBridge bridge)
    {
        if (Interlocked.CompareExchange(ref _bridge, bridge, null) is not null)
        {
            throw new InvalidOperationException("the broker already has a bridge");
        }

        Subscriptions.Watch((filter, added) =>
        {
            if (added)
            {
                bridge.FilterAdded(filter);
            }
            else
            {
                bridge.FilterRemoved(filter);
            }
        });
    }

    /// <summary>Every topic filter some session here subscribes to.</summary>
    public IReadOnlyList<string> SubscribedFilters() => Subscriptions.Filters();

    /// <summary>
    /// Routes a message another node's broker forwarded (<see cref="IMqttBridge.Forward"/>) to the subscribers here,
    /// as its own publish would be routed, and does not hand it to the bridge again. Bytes that are not one whole
    /// PUBLISH are refused with <see cref="MqttProtocolException"/>; nothing is routed then.
    /// </summary>
    public void RouteFromBridge(ReadOnlySpan<byte> message) =>
        // The sender is on another node, so no session here is its own (No Local), and its account is counted there.
        Route(ApplicationMessage.From(DecodeFromPeer(message), sender: null, Now), RouteFrom.Peer);

    /// <summary>
    /// Keeps retained messages beyond this broker (<see cref="IRetainedReplica"/>): from now on every retained message
    /// set here is handed to it, and what other nodes set arrives through <see cref="ApplyRetained"/>. Set once.
    /// </summary>
    public void AttachRetainedReplica(IRetainedReplica replica)
    {
        if (Interlocked.CompareExchange(ref _retainedReplica, replica, null) is not null)
        {
            throw new InvalidOperationException("the broker already has a retained replica");
        }
    }

    /// <summary>
    /// Sets what the cluster stored for <paramref name="topic"/>: <paramref name="message"/> (one MQTT 5.0 PUBLISH on
    /// that topic) counted against <paramref name="account"/> and expiring at <paramref name="expiresAt"/> (Unix ms),
    /// or nothing when it is empty. It is not routed: subscribers got it when it was published. Bytes that are not one
    /// whole PUBLISH on that topic are refused with <see cref="MqttProtocolException"/>; nothing changes then.
    /// </summary>
    public void ApplyRetained(string topic, ReadOnlySpan<byte> message, string? account, long? expiresAt)
    {
        if (message.IsEmpty)
        {
            Retained.Set(new ApplicationMessage { Topic = topic, Payload = ReadOnlyMemory<byte>.Empty, QoS = QualityOfService.AtMostOnce, Retain = true });
            return;
        }

        var publish = DecodeFromPeer(message);
        if (publish.Topic != topic)
        {
            throw new MqttProtocolException(ReasonCode.TopicNameInvalid, "a stored retained message names another topic than its own");
        }

        var owner = account is null ? null : _accounts.GetOrAdd(account, n => new MqttAccount(n, Gate.LimitsOf(n), Clock));
        Retained.Set(ApplicationMessage.From(publish, sender: null, Now, owner, expiresAt));
    }

    /// <summary>The topics holding a retained message here (the cluster's replica compares them with what it stored).</summary>
    public IReadOnlyCollection<string> RetainedTopics() => Retained.Topics();

    internal static PublishPacket DecodeFromPeer(ReadOnlySpan<byte> message)
    {
        var decoder = new MqttDecoder(MqttProtocolVersion.V500);
        if (!decoder.TryDecode(message, out var packet, out var consumed) || consumed != message.Length || packet is not PublishPacket publish)
        {
            throw new MqttProtocolException(ReasonCode.MalformedPacket, "a message from another node is not one whole PUBLISH");
        }

        if (publish.Topic.Length == 0)
        {
            // A topic alias means nothing between brokers: a message from another node names its topic.
            throw new MqttProtocolException(ReasonCode.TopicNameInvalid, "a message from another node has no topic name");
        }

        return publish;
    }

    /// <summary>
    /// Observes the failure of a task nobody waits for (a durability wait whose acknowledgement is not sent, a platform
    /// publish's or a will's retained write): whoever failed it logs it, and no unobserved task exception is raised.
    /// </summary>
    internal static void ObserveFaults(Task? task) =>
        task?.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    /// <summary>The message as one MQTT 5.0 PUBLISH, with the expiry it has left and its properties.</summary>
    internal static byte[] EncodeForBridge(ApplicationMessage message, long now)
    {
        var packet = message.ToPacket(message.QoS, message.Retain, message.QoS == QualityOfService.AtMostOnce ? (ushort)0 : (ushort)1, [], now, v5: true);
        var output = new ArrayBufferWriter<byte>(message.Payload.Length + message.Topic.Length + 32);
        MqttEncoder.Encode(packet, MqttProtocolVersion.V500, output);
        return output.WrittenSpan.ToArray();
    }
}

/// <summary>Where a routed message comes from, which decides whether the bridge and the retained replica see it.</summary>
internal enum RouteFrom
{
    /// <summary>Published on this node: bridged to the others, and a retained one stored by the replica.</summary>
    Here,

    /// <summary>What a node says about itself only (its Sparkplug host state): neither bridged nor replicated.</summary>
    HereOnly,

    /// <summary>Another node's message over the bridge: its retained copy comes through the replica instead.</summary>
    Peer,
}
