using System.Buffers;
using Millwright.Mqtt.Codec;
using Millwright.Mqtt.Packets;

namespace Millwright.Mqtt.Server;

/// <summary>The broker's side of a bridge to other nodes' brokers (<see cref="IMqttBridge"/>).</summary>
public sealed partial class MqttServer
{
    private IMqttBridge? _bridge;

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
    public void RouteFromBridge(ReadOnlySpan<byte> message)
    {
        var decoder = new MqttDecoder(MqttProtocolVersion.V500);
        if (!decoder.TryDecode(message, out var packet, out var consumed) || consumed != message.Length || packet is not PublishPacket publish)
        {
            throw new MqttProtocolException(ReasonCode.MalformedPacket, "a bridged message is not one whole PUBLISH");
        }

        if (publish.Topic.Length == 0)
        {
            // A topic alias means nothing between brokers: a bridged message names its topic.
            throw new MqttProtocolException(ReasonCode.TopicNameInvalid, "a bridged message has no topic name");
        }

        // The sender is on another node, so no session here is its own (No Local), and its account is counted there.
        Route(ApplicationMessage.From(publish, publish.Topic, sender: null, Now), bridged: true);
    }

    /// <summary>The message as one MQTT 5.0 PUBLISH, with the expiry it has left and its properties.</summary>
    internal static byte[] EncodeForBridge(ApplicationMessage message, long now)
    {
        var packet = message.ToPacket(message.QoS, message.Retain, message.QoS == QualityOfService.AtMostOnce ? (ushort)0 : (ushort)1, [], now, v5: true);
        var output = new ArrayBufferWriter<byte>(message.Payload.Length + message.Topic.Length + 32);
        MqttEncoder.Encode(packet, MqttProtocolVersion.V500, output);
        return output.WrittenSpan.ToArray();
    }
}
