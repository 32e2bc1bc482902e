using Millwright.Mqtt.Packets;
using Millwright.Mqtt.Topics;

namespace Millwright.Mqtt.Codec;

/// <summary>The parts of packets that the decoder's flat switch reads in more than a few lines.</summary>
internal static class PacketReaders
{
    public static ushort ReadPacketId(ref MqttReader r)
    {
        // 2.2.1 [MQTT-2.2.1-3]: packet identifiers are non-zero.
        var id = r.ReadUInt16();
        if (id == 0)
        {
            ProtocolErrors.Protocol("Packet identifier 0 [MQTT-2.2.1-3].");
        }

        return id;
    }

    public static ReasonCode ReadReason(PacketType packet, byte code)
    {
        var reason = (ReasonCode)code;
        if (!ReasonCodeRules.IsAllowed(packet, reason))
        {
            ProtocolErrors.Malformed($"Reason code 0x{code:X2} is not defined for {packet}.");
        }

        return reason;
    }

    /// <summary>
    /// PUBACK, PUBREC, PUBREL, PUBCOMP after the packet identifier (3.4.2.1): in 5.0 a remaining length of 2
    /// means Success, and below 4 there is no property length.
    /// </summary>
    public static (ReasonCode Reason, MqttProperties? Properties) ReadAckTail(ref MqttReader r, bool v5, PacketType type, PropertyTargets target)
    {
        if (!v5 || r.IsEnd)
        {
            return (ReasonCode.Success, null);
        }

        var reason = ReadReason(type, r.ReadByte());
        var props = r.IsEnd ? null : PropertyReader.Read(ref r, target);
        return (reason, props);
    }

    /// <summary>CONNECT (3.1); sets the decoder's version as soon as the protocol level is accepted.</summary>
    public static ConnectPacket ReadConnect(ref MqttReader r, MqttDecoder decoder)
    {
        // 3.1.2.1: protocol name "MQTT". "MQIsdp" is MQTT 3.1, which we do not speak; answering it with
        // "unacceptable protocol version" is what 3.1 clients understand.
        var name = r.ReadBinarySpan();
        if (!name.SequenceEqual("MQTT"u8))
        {
            if (name.SequenceEqual("MQIsdp"u8))
            {
                ProtocolErrors.Throw(ReasonCode.UnsupportedProtocolVersion, "MQTT 3.1 (MQIsdp) is not supported.");
            }

            ProtocolErrors.Protocol("Protocol name is not MQTT [MQTT-3.1.2-1].");
        }

        // 3.1.2.2: level 4 is 3.1.1, 5 is 5.0; anything else gets 0x84 / 3.1.1 return code 1 [MQTT-3.1.2-2].
        var level = r.ReadByte();
        if (level is not (4 or 5))
        {
            ProtocolErrors.Throw(ReasonCode.UnsupportedProtocolVersion, $"Protocol level {level} is not supported.");
        }

        var version = (MqttProtocolVersion)level;
        decoder.Version = version;
        var v5 = version == MqttProtocolVersion.V500;

        var flags = r.ReadByte();
        var cleanStart = (flags & 0x02) != 0;
        var willFlag = (flags & 0x04) != 0;
        var willQos = (flags >> 3) & 3;
        var willRetain = (flags & 0x20) != 0;
        var hasPassword = (flags & 0x40) != 0;
        var hasUserName = (flags & 0x80) != 0;

        // 3.1.2.3 [MQTT-3.1.2-3]: the reserved flag is 0.
        if ((flags & 0x01) != 0)
        {
            ProtocolErrors.Malformed("CONNECT reserved flag set [MQTT-3.1.2-3].");
        }

        // 3.1.2.6/3.1.2.7: without a will, will QoS and will retain are 0 [MQTT-3.1.2-11, -13]; QoS 3 is invalid [MQTT-3.1.2-12].
        if (!willFlag && (willQos != 0 || willRetain))
        {
            ProtocolErrors.Malformed("Will QoS or retain set without the will flag.");
        }

        if (willQos == 3)
        {
            ProtocolErrors.Malformed("Will QoS 3.");
        }

        // 3.1.1 3.1.2.9 [MQTT-3.1.2-22]: a password needs a user name (5.0 lifts this).
        if (!v5 && hasPassword && !hasUserName)
        {
            ProtocolErrors.Malformed("Password without user name in 3.1.1 [MQTT-3.1.2-22].");
        }

        var keepAlive = r.ReadUInt16();
        var props = v5 ? PropertyReader.Read(ref r, PropertyTargets.Connect) : null;

        // 3.1.2.11.10: authentication data without a method is a protocol error.
        if (props is { AuthenticationData: not null, AuthenticationMethod: null })
        {
            ProtocolErrors.Protocol("Authentication data without authentication method.");
        }

        var clientId = r.ReadString();

        // 3.1.1 3.1.3.1 [MQTT-3.1.3-8]: an empty client id needs clean session; refused with return code 2.
        if (!v5 && clientId.Length == 0 && !cleanStart)
        {
            ProtocolErrors.Throw(ReasonCode.ClientIdentifierNotValid, "Empty client identifier without clean session [MQTT-3.1.3-8].");
        }

        MqttWill? will = null;
        if (willFlag)
        {
            var willProps = v5 ? PropertyReader.Read(ref r, PropertyTargets.Will) : null;
            var willTopic = r.ReadString();

            // 3.1.3.3: the will topic is a topic name, so no wildcards [MQTT-3.1.3-11, 4.7.3].
            if (!MqttTopic.IsValidTopicName(willTopic))
            {
                ProtocolErrors.Throw(ReasonCode.TopicNameInvalid, "Will topic is not a valid topic name.");
            }

            will = new MqttWill
            {
                Topic = willTopic,
                Properties = willProps,
                Payload = r.ReadBinary(),
                QoS = (QualityOfService)willQos,
                Retain = willRetain,
            };
        }

        return new ConnectPacket
        {
            ProtocolVersion = version,
            CleanStart = cleanStart,
            KeepAliveSeconds = keepAlive,
            Properties = props,
            ClientId = clientId,
            Will = will,
            UserName = hasUserName ? r.ReadString() : null,
            Password = hasPassword ? r.ReadBinary() : null,
        };
    }

    public static PublishPacket ReadPublish(ref MqttReader r, byte header, bool v5)
    {
        var qos = (QualityOfService)((header >> 1) & 3);
        var topic = r.ReadString();

        // 3.3.2.2: the packet identifier is present only for QoS 1 and 2.
        var id = qos == QualityOfService.AtMostOnce ? (ushort)0 : ReadPacketId(ref r);
        var props = v5 ? PropertyReader.Read(ref r, PropertyTargets.Publish) : null;
        if (topic.Length == 0)
        {
            // 5.0 3.3.2.3.4: an empty topic stands for a topic alias; without one it is a protocol error.
            // 3.1.1 4.7.3 [MQTT-4.7.3-1]: topic names are at least one character.
            if (!v5)
            {
                ProtocolErrors.Throw(ReasonCode.TopicNameInvalid, "Empty topic name [MQTT-4.7.3-1].");
            }

            if (props?.TopicAlias is null)
            {
                ProtocolErrors.Protocol("Empty topic name without topic alias.");
            }
        }
        else if (!MqttTopic.IsValidTopicName(topic))
        {
            // 3.3.2.1 [MQTT-3.3.2-2]: no wildcard characters in a PUBLISH topic name.
            ProtocolErrors.Throw(ReasonCode.TopicNameInvalid, "Wildcard in PUBLISH topic name [MQTT-3.3.2-2].");
        }

        var payload = r.ReadToEnd();
        return new PublishPacket
        {
            Dup = (header & 0x08) != 0,
            QoS = qos,
            Retain = (header & 0x01) != 0,
            Topic = topic,
            PacketId = id,
            Properties = props,

            // The receive buffer is reused after this returns, so the payload gets its own array.
            Payload = payload.IsEmpty ? ReadOnlyMemory<byte>.Empty : payload.ToArray(),
        };
    }

    public static SubscribePacket ReadSubscribe(ref MqttReader r, bool v5)
    {
        var id = ReadPacketId(ref r);
        var props = v5 ? PropertyReader.Read(ref r, PropertyTargets.Subscribe) : null;
        var subscriptions = new List<Subscription>();
        while (!r.IsEnd)
        {
            var filter = r.ReadString();
            var options = r.ReadByte();
            var qos = options & 3;

            // 3.8.3.1: QoS 3 is malformed [MQTT-3-8.3-4]; reserved bits (2-7 in 3.1.1, 6-7 in 5.0) are 0 [MQTT-3.8.3-5].
            if (qos == 3)
            {
                ProtocolErrors.Malformed("Subscription QoS 3.");
            }

            if ((options & (v5 ? 0xC0 : 0xFC)) != 0)
            {
                ProtocolErrors.Malformed("Subscription options reserved bits set [MQTT-3.8.3-5].");
            }

            var retainHandling = (options >> 4) & 3;
            if (retainHandling == 3)
            {
                ProtocolErrors.Protocol("Retain handling 3 is a protocol error (3.8.3.1).");
            }

            if (!MqttTopic.IsValidSubscriptionFilter(filter, allowShared: v5))
            {
                ProtocolErrors.Throw(ReasonCode.TopicFilterInvalid, "SUBSCRIBE with an invalid topic filter (4.7.1, 4.8.2).");
            }

            var noLocal = (options & 0x04) != 0;

            // 3.8.3.1 [MQTT-3.8.3-4]: No Local on a shared subscription is a protocol error.
            if (v5 && noLocal && MqttTopic.IsShared(filter))
            {
                ProtocolErrors.Protocol("No Local set on a shared subscription [MQTT-3.8.3-4].");
            }

            subscriptions.Add(new Subscription(filter, (QualityOfService)qos, noLocal, (options & 0x08) != 0, (RetainHandling)retainHandling));
        }

        // 3.8.3 [MQTT-3.8.3-2]: at least one filter; an empty payload is a protocol error.
        if (subscriptions.Count == 0)
        {
            ProtocolErrors.Protocol("SUBSCRIBE without topic filters [MQTT-3.8.3-2].");
        }

        return new SubscribePacket { PacketId = id, Properties = props, Subscriptions = subscriptions };
    }
}
