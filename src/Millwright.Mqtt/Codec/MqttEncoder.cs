using System.Buffers;
using System.Diagnostics;
using Millwright.Mqtt.Packets;

namespace Millwright.Mqtt.Codec;

/// <summary>
/// Writes packets into an <see cref="IBufferWriter{T}"/> in one pass after measuring, so the remaining length
/// (2.1.4) is exact and the output buffer is asked for once. 5.0-only fields (properties, reason codes of
/// acknowledgements) are left out when encoding 3.1.1. Packets the specification forbids to send throw
/// <see cref="ArgumentException"/>: that is a bug in the caller, not bad input.
/// </summary>
public static class MqttEncoder
{
    /// <summary>Encodes the packet; CONNECT is always written in its own <see cref="ConnectPacket.ProtocolVersion"/>.</summary>
    public static int Encode(MqttPacket packet, MqttProtocolVersion version, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(packet);
        ArgumentNullException.ThrowIfNull(output);
        var v5 = IsV5(packet, version);
        var sizes = Measure(packet, v5);
        var total = 1 + MqttWriter.VariableByteIntegerSize(sizes.Remaining) + sizes.Remaining;
        var w = new MqttWriter(output.GetSpan(total));
        w.WriteByte(FixedHeader(packet));
        w.WriteVariableByteInteger(sizes.Remaining);
        PacketWriter.WriteBody(ref w, packet, v5, sizes);
        Debug.Assert(w.Position == total, "Measured and written sizes differ.");
        output.Advance(total);
        return total;
    }

    /// <summary>Total encoded size, to honour a peer's Maximum Packet Size (5.0 3.1.2.11.4) before sending.</summary>
    public static int MeasureTotal(MqttPacket packet, MqttProtocolVersion version)
    {
        ArgumentNullException.ThrowIfNull(packet);
        var remaining = Measure(packet, IsV5(packet, version)).Remaining;
        return 1 + MqttWriter.VariableByteIntegerSize(remaining) + remaining;
    }

    private static bool IsV5(MqttPacket packet, MqttProtocolVersion version)
    {
        var effective = packet is ConnectPacket connect ? connect.ProtocolVersion : version;
        return effective switch
        {
            MqttProtocolVersion.V500 => true,
            MqttProtocolVersion.V311 => false,
            _ => throw new ArgumentException("Encode in version 3.1.1 or 5.0.", nameof(version)),
        };
    }

    private static byte FixedHeader(MqttPacket packet) => packet switch
    {
        PublishPacket p => (byte)(0x30 | (p.Dup ? 0x08 : 0) | ((int)p.QoS << 1) | (p.Retain ? 0x01 : 0)),

        // 2.1.3: PUBREL, SUBSCRIBE and UNSUBSCRIBE carry flags 0010.
        PubRelPacket or SubscribePacket or UnsubscribePacket => (byte)(((int)packet.Type << 4) | 0x02),
        _ => (byte)((int)packet.Type << 4),
    };

    private static EncodedSizes Measure(MqttPacket packet, bool v5)
    {
        var s = default(EncodedSizes);
        switch (packet)
        {
            case ConnectPacket c:
                if (!v5 && c.Password is not null && c.UserName is null)
                {
                    throw new ArgumentException("3.1.1 allows a password only with a user name [MQTT-3.1.2-22].", nameof(packet));
                }

                s.Remaining = 10 + MqttWriter.StringSize(c.ClientId);
                if (v5)
                {
                    s.Properties = PropertyWriter.Measure(c.Properties, PropertyTargets.Connect);
                    s.Remaining += Block(s.Properties);
                }

                if (c.Will is { } will)
                {
                    CheckQoS(will.QoS);
                    if (v5)
                    {
                        s.WillProperties = PropertyWriter.Measure(will.Properties, PropertyTargets.Will);
                        s.Remaining += Block(s.WillProperties);
                    }

                    s.Remaining += MqttWriter.StringSize(will.Topic) + MqttWriter.BinarySize(will.Payload.Length);
                }

                s.Remaining += c.UserName is null ? 0 : MqttWriter.StringSize(c.UserName);
                s.Remaining += c.Password is { } password ? MqttWriter.BinarySize(password.Length) : 0;
                break;
            case ConnAckPacket a:
                if (a.SessionPresent && a.ReasonCode != ReasonCode.Success)
                {
                    throw new ArgumentException("A refused CONNACK must not set Session Present [MQTT-3.2.2-6].", nameof(packet));
                }

                s.Remaining = 2;
                if (v5)
                {
                    s.Properties = PropertyWriter.Measure(a.Properties, PropertyTargets.ConnAck);
                    s.Remaining += Block(s.Properties);
                }

                break;
            case PublishPacket p:
                CheckQoS(p.QoS);
                if (p.QoS != QualityOfService.AtMostOnce && p.PacketId == 0)
                {
                    throw new ArgumentException("QoS 1 and 2 PUBLISH need a non-zero packet identifier [MQTT-2.2.1-3].", nameof(packet));
                }

                s.Remaining = MqttWriter.StringSize(p.Topic) + (p.QoS == QualityOfService.AtMostOnce ? 0 : 2) + p.Payload.Length;
                if (v5)
                {
                    s.Properties = PropertyWriter.Measure(p.Properties, PropertyTargets.Publish);
                    s.Remaining += Block(s.Properties);
                }

                break;
            case PubAckPacket a:
                s = AckSizes(v5, a.ReasonCode, a.Properties, PropertyTargets.PubAck, 2);
                break;
            case PubRecPacket a:
                s = AckSizes(v5, a.ReasonCode, a.Properties, PropertyTargets.PubRec, 2);
                break;
            case PubRelPacket a:
                s = AckSizes(v5, a.ReasonCode, a.Properties, PropertyTargets.PubRel, 2);
                break;
            case PubCompPacket a:
                s = AckSizes(v5, a.ReasonCode, a.Properties, PropertyTargets.PubComp, 2);
                break;
            case SubscribePacket sub:
                s.Remaining = 2;
                if (v5)
                {
                    s.Properties = PropertyWriter.Measure(sub.Properties, PropertyTargets.Subscribe);
                    s.Remaining += Block(s.Properties);
                }

                for (var i = 0; i < sub.Subscriptions.Count; i++)
                {
                    var subscription = sub.Subscriptions[i];
                    CheckQoS(subscription.QoS);
                    s.Remaining += MqttWriter.StringSize(subscription.TopicFilter) + 1;
                }

                break;
            case SubAckPacket a:
                s.Remaining = 2 + a.ReasonCodes.Count;
                if (v5)
                {
                    s.Properties = PropertyWriter.Measure(a.Properties, PropertyTargets.SubAck);
                    s.Remaining += Block(s.Properties);
                }

                break;
            case UnsubscribePacket u:
                s.Remaining = 2;
                if (v5)
                {
                    s.Properties = PropertyWriter.Measure(u.Properties, PropertyTargets.Unsubscribe);
                    s.Remaining += Block(s.Properties);
                }

                for (var i = 0; i < u.TopicFilters.Count; i++)
                {
                    var filter = u.TopicFilters[i];
                    s.Remaining += MqttWriter.StringSize(filter);
                }

                break;
            case UnsubAckPacket a:
                s.Remaining = 2;
                if (v5)
                {
                    s.Properties = PropertyWriter.Measure(a.Properties, PropertyTargets.UnsubAck);
                    s.Remaining += Block(s.Properties) + a.ReasonCodes.Count;
                }

                break;
            case PingReqPacket or PingRespPacket:
                break;
            case DisconnectPacket d:
                s = AckSizes(v5, d.ReasonCode, d.Properties, PropertyTargets.Disconnect, 0);
                break;
            case AuthPacket auth:
                if (!v5)
                {
                    throw new ArgumentException("AUTH does not exist in MQTT 3.1.1.", nameof(packet));
                }

                s = AckSizes(v5, auth.ReasonCode, auth.Properties, PropertyTargets.Auth, 0);
                break;
            default:
                throw new ArgumentException($"Unknown packet {packet.GetType().Name}.", nameof(packet));
        }

        if (s.Remaining > MqttDecoder.MaxRemainingLength)
        {
            throw new ArgumentException("Packet larger than the 256 MB MQTT limit (2.1.4).", nameof(packet));
        }

        return s;
    }

    /// <summary>
    /// Acknowledgements, DISCONNECT and AUTH: the reason code is omitted when it is Success and there are no
    /// properties, and the property length is omitted when there are none (3.4.2.1, 3.14.2.1, 3.15.2.1).
    /// </summary>
    private static EncodedSizes AckSizes(bool v5, ReasonCode reason, MqttProperties? properties, PropertyTargets target, int fixedPart)
    {
        var s = new EncodedSizes { Remaining = fixedPart };
        if (!v5)
        {
            return s;
        }

        s.Properties = PropertyWriter.Measure(properties, target);
        s.WithReason = reason != ReasonCode.Success || s.Properties > 0;
        s.Remaining += s.WithReason ? 1 : 0;
        s.Remaining += s.Properties > 0 ? Block(s.Properties) : 0;
        return s;
    }

    private static int Block(int propertiesLength) => MqttWriter.VariableByteIntegerSize(propertiesLength) + propertiesLength;

    private static void CheckQoS(QualityOfService qos)
    {
        if ((uint)qos > 2)
        {
            throw new ArgumentException("QoS must be 0, 1 or 2.", nameof(qos));
        }
    }
}
