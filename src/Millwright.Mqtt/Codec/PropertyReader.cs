using Millwright.Mqtt.Packets;
using Millwright.Mqtt.Topics;

namespace Millwright.Mqtt.Codec;

/// <summary>Reads a 5.0 property block (section 2.2.2) and enforces the per-property rules.</summary>
internal static class PropertyReader
{
    /// <summary>Returns null for an empty block, so packets without properties allocate nothing for them.</summary>
    public static MqttProperties? Read(ref MqttReader reader, PropertyTargets target)
    {
        var length = reader.ReadVariableByteInteger();
        if (length == 0)
        {
            return null;
        }

        var r = new MqttReader(reader.ReadSpan(length));
        var p = new MqttProperties();
        List<UserProperty>? users = null;
        List<uint>? subscriptionIds = null;
        ulong seen = 0;
        while (!r.IsEnd)
        {
            // 2.2.2.2: the identifier is a Variable Byte Integer, though all defined ones fit in one byte.
            var id = (PropertyId)r.ReadVariableByteInteger();

            // 2.2.2.2: an identifier not valid for the packet type makes the packet malformed.
            if (!PropertyRules.IsAllowed(id, target))
            {
                ProtocolErrors.Malformed($"Property 0x{(int)id:X2} is not allowed in {target}.");
            }

            // Each property section says "It is a Protocol Error to include ... more than once", except
            // user properties and the subscription identifiers of a PUBLISH (3.3.2.3.8).
            var repeatable = id == PropertyId.UserProperty || (id == PropertyId.SubscriptionIdentifier && target == PropertyTargets.Publish);
            if (!repeatable)
            {
                var bit = 1UL << (int)id;
                if ((seen & bit) != 0)
                {
                    ProtocolErrors.Protocol($"Property {id} appears more than once.");
                }

                seen |= bit;
            }

            switch (id)
            {
                case PropertyId.PayloadFormatIndicator:
                    p.PayloadFormatIndicator = ReadBoolean(ref r, id);
                    break;
                case PropertyId.MessageExpiryInterval:
                    p.MessageExpiryInterval = r.ReadUInt32();
                    break;
                case PropertyId.ContentType:
                    p.ContentType = r.ReadString();
                    break;
                case PropertyId.ResponseTopic:
                    var responseTopic = r.ReadString();

                    // 3.3.2.3.5 [MQTT-3.3.2-14]: the response topic is a topic name, so no wildcards.
                    if (!MqttTopic.IsValidTopicName(responseTopic))
                    {
                        ProtocolErrors.Protocol("Response topic is not a valid topic name.");
                    }

                    p.ResponseTopic = responseTopic;
                    break;
                case PropertyId.CorrelationData:
                    p.CorrelationData = r.ReadBinary();
                    break;
                case PropertyId.SubscriptionIdentifier:
                    var subscriptionId = r.ReadVariableByteInteger();

                    // 3.3.2.3.8 / 3.8.2.1.2: "a Protocol Error if the Subscription Identifier has a value of 0".
                    if (subscriptionId == 0)
                    {
                        ProtocolErrors.Protocol("Subscription identifier 0.");
                    }

                    (subscriptionIds ??= []).Add((uint)subscriptionId);
                    break;
                case PropertyId.SessionExpiryInterval:
                    p.SessionExpiryInterval = r.ReadUInt32();
                    break;
                case PropertyId.AssignedClientIdentifier:
                    p.AssignedClientIdentifier = r.ReadString();
                    break;
                case PropertyId.ServerKeepAlive:
                    p.ServerKeepAlive = r.ReadUInt16();
                    break;
                case PropertyId.AuthenticationMethod:
                    p.AuthenticationMethod = r.ReadString();
                    break;
                case PropertyId.AuthenticationData:
                    p.AuthenticationData = r.ReadBinary();
                    break;
                case PropertyId.RequestProblemInformation:
                    p.RequestProblemInformation = ReadBoolean(ref r, id);
                    break;
                case PropertyId.WillDelayInterval:
                    p.WillDelayInterval = r.ReadUInt32();
                    break;
                case PropertyId.RequestResponseInformation:
                    p.RequestResponseInformation = ReadBoolean(ref r, id);
                    break;
                case PropertyId.ResponseInformation:
                    p.ResponseInformation = r.ReadString();
                    break;
                case PropertyId.ServerReference:
                    p.ServerReference = r.ReadString();
                    break;
                case PropertyId.ReasonString:
                    p.ReasonString = r.ReadString();
                    break;
                case PropertyId.ReceiveMaximum:
                    // 3.1.2.11.3 / 3.2.2.3.3: "a Protocol Error to include ... the value 0".
                    p.ReceiveMaximum = ReadNonZeroUInt16(ref r, id);
                    break;
                case PropertyId.TopicAliasMaximum:
                    p.TopicAliasMaximum = r.ReadUInt16();
                    break;
                case PropertyId.TopicAlias:
                    // 3.3.2.3.4 [MQTT-3.3.2-8]: a topic alias of 0 is not permitted.
                    p.TopicAlias = ReadNonZeroUInt16(ref r, id);
                    break;
                case PropertyId.MaximumQoS:
                    p.MaximumQoS = ReadBoolean(ref r, id);
                    break;
                case PropertyId.RetainAvailable:
                    p.RetainAvailable = ReadBoolean(ref r, id);
                    break;
                case PropertyId.UserProperty:
                    var name = r.ReadString();
                    var value = r.ReadString();
                    (users ??= []).Add(new UserProperty(name, value));
                    break;
                case PropertyId.MaximumPacketSize:
                    // 3.1.2.11.4: "a Protocol Error to include ... the value zero".
                    var maximumPacketSize = r.ReadUInt32();
                    if (maximumPacketSize == 0)
                    {
                        ProtocolErrors.Protocol("Maximum packet size 0.");
                    }

                    p.MaximumPacketSize = maximumPacketSize;
                    break;
                case PropertyId.WildcardSubscriptionAvailable:
                    p.WildcardSubscriptionAvailable = ReadBoolean(ref r, id);
                    break;
                case PropertyId.SubscriptionIdentifierAvailable:
                    p.SubscriptionIdentifierAvailable = ReadBoolean(ref r, id);
                    break;
                case PropertyId.SharedSubscriptionAvailable:
                    p.SharedSubscriptionAvailable = ReadBoolean(ref r, id);
                    break;
                default:
                    // Unreachable: PropertyRules rejects unknown identifiers above.
                    ProtocolErrors.Malformed($"Unknown property 0x{(int)id:X2}.");
                    break;
            }
        }

        if (users is not null)
        {
            p.UserProperties = users;
        }

        if (subscriptionIds is not null)
        {
            p.SubscriptionIdentifiers = subscriptionIds;
        }

        return p;
    }

    /// <summary>The byte properties that are flags or a 0/1 QoS: any other value is a protocol error (2.2.2.2 table).</summary>
    private static byte ReadBoolean(ref MqttReader r, PropertyId id)
    {
        var value = r.ReadByte();
        if (value > 1)
        {
            ProtocolErrors.Protocol($"Property {id} must be 0 or 1, was {value}.");
        }

        return value;
    }

    private static ushort ReadNonZeroUInt16(ref MqttReader r, PropertyId id)
    {
        var value = r.ReadUInt16();
        if (value == 0)
        {
            ProtocolErrors.Protocol($"Property {id} must not be 0.");
        }

        return value;
    }
}
