using Millwright.Mqtt.Packets;

namespace Millwright.Mqtt.Codec;

/// <summary>The encoder's writing pass: one flat switch, with the sizes the measuring pass computed.</summary>
internal static class PacketWriter
{
    public static void WriteBody(ref MqttWriter w, MqttPacket packet, bool v5, EncodedSizes s)
    {
        switch (packet)
        {
            case ConnectPacket c:
                w.WriteBinary("MQTT"u8);
                w.WriteByte(v5 ? (byte)5 : (byte)4);
                var flags = (c.UserName is null ? 0 : 0x80) | (c.Password is null ? 0 : 0x40) | (c.CleanStart ? 0x02 : 0);
                if (c.Will is { } will)
                {
                    flags |= 0x04 | ((int)will.QoS << 3) | (will.Retain ? 0x20 : 0);
                }

                w.WriteByte((byte)flags);
                w.WriteUInt16(c.KeepAliveSeconds);
                if (v5)
                {
                    PropertyWriter.Write(ref w, c.Properties, s.Properties);
                }

                w.WriteString(c.ClientId);
                if (c.Will is { } w2)
                {
                    if (v5)
                    {
                        PropertyWriter.Write(ref w, w2.Properties, s.WillProperties);
                    }

                    w.WriteString(w2.Topic);
                    w.WriteBinary(w2.Payload.Span);
                }

                if (c.UserName is not null)
                {
                    w.WriteString(c.UserName);
                }

                if (c.Password is { } password)
                {
                    w.WriteBinary(password);
                }

                break;
            case ConnAckPacket a:
                w.WriteByte(a.SessionPresent ? (byte)1 : (byte)0);
                w.WriteByte(v5 ? (byte)a.ReasonCode : (byte)ConnectReturnCodes.FromReasonCode(a.ReasonCode));
                if (v5)
                {
                    PropertyWriter.Write(ref w, a.Properties, s.Properties);
                }

                break;
            case PublishPacket p:
                w.WriteString(p.Topic);
                if (p.QoS != QualityOfService.AtMostOnce)
                {
                    w.WriteUInt16(p.PacketId);
                }

                if (v5)
                {
                    PropertyWriter.Write(ref w, p.Properties, s.Properties);
                }

                w.WriteBytes(p.Payload.Span);
                break;
            case PubAckPacket a:
                w.WriteUInt16(a.PacketId);
                WriteAckTail(ref w, a.ReasonCode, a.Properties, s);
                break;
            case PubRecPacket a:
                w.WriteUInt16(a.PacketId);
                WriteAckTail(ref w, a.ReasonCode, a.Properties, s);
                break;
            case PubRelPacket a:
                w.WriteUInt16(a.PacketId);
                WriteAckTail(ref w, a.ReasonCode, a.Properties, s);
                break;
            case PubCompPacket a:
                w.WriteUInt16(a.PacketId);
                WriteAckTail(ref w, a.ReasonCode, a.Properties, s);
                break;
            case SubscribePacket sub:
                w.WriteUInt16(sub.PacketId);
                if (v5)
                {
                    PropertyWriter.Write(ref w, sub.Properties, s.Properties);
                }

                for (var i = 0; i < sub.Subscriptions.Count; i++)
                {
                    var subscription = sub.Subscriptions[i];
                    w.WriteString(subscription.TopicFilter);

                    // 3.8.3.1: bits 0-1 QoS; 5.0 adds bit 2 No Local, bit 3 Retain As Published, bits 4-5 Retain Handling.
                    var options = (int)subscription.QoS;
                    if (v5)
                    {
                        options |= (subscription.NoLocal ? 0x04 : 0) | (subscription.RetainAsPublished ? 0x08 : 0) | ((int)subscription.RetainHandling << 4);
                    }

                    w.WriteByte((byte)options);
                }

                break;
            case SubAckPacket a:
                w.WriteUInt16(a.PacketId);
                if (v5)
                {
                    PropertyWriter.Write(ref w, a.Properties, s.Properties);
                }

                for (var i = 0; i < a.ReasonCodes.Count; i++)
                {
                    var code = a.ReasonCodes[i];
                    // 3.1.1 3.9.3: only 0, 1, 2 and 0x80 (failure) exist.
                    w.WriteByte(v5 || (int)code <= 2 ? (byte)code : (byte)0x80);
                }

                break;
            case UnsubscribePacket u:
                w.WriteUInt16(u.PacketId);
                if (v5)
                {
                    PropertyWriter.Write(ref w, u.Properties, s.Properties);
                }

                for (var i = 0; i < u.TopicFilters.Count; i++)
                {
                    var filter = u.TopicFilters[i];
                    w.WriteString(filter);
                }

                break;
            case UnsubAckPacket a:
                w.WriteUInt16(a.PacketId);
                if (v5)
                {
                    PropertyWriter.Write(ref w, a.Properties, s.Properties);
                    for (var i = 0; i < a.ReasonCodes.Count; i++)
                    {
                        var code = a.ReasonCodes[i];
                        w.WriteByte((byte)code);
                    }
                }

                break;
            case DisconnectPacket d:
                WriteAckTail(ref w, d.ReasonCode, d.Properties, s);
                break;
            case AuthPacket auth:
                WriteAckTail(ref w, auth.ReasonCode, auth.Properties, s);
                break;
            default:
                // PINGREQ and PINGRESP have no body.
                break;
        }
    }

    private static void WriteAckTail(ref MqttWriter w, ReasonCode reason, MqttProperties? properties, EncodedSizes s)
    {
        if (s.WithReason)
        {
            w.WriteByte((byte)reason);
        }

        if (s.Properties > 0)
        {
            PropertyWriter.Write(ref w, properties, s.Properties);
        }
    }
}
