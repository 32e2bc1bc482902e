using Millwright.Mqtt.Packets;

namespace Millwright.Mqtt.Codec;

/// <summary>
/// Measures and writes a 5.0 property block in identifier order (user properties in their own order).
/// A property that the target packet may not carry is a programming error, so it throws ArgumentException
/// rather than putting bytes on the wire the peer must reject. Lists are walked by index: a foreach over
/// IReadOnlyList boxes its enumerator, an allocation per packet on the broker's hottest path.
/// </summary>
internal static class PropertyWriter
{
    /// <summary>Length of the property content, without the length prefix.</summary>
    public static int Measure(MqttProperties? p, PropertyTargets target)
    {
        if (p is null)
        {
            return 0;
        }

        var n = 0;
        n += Fixed(p.PayloadFormatIndicator.HasValue, PropertyId.PayloadFormatIndicator, target, 1);
        n += Fixed(p.MessageExpiryInterval.HasValue, PropertyId.MessageExpiryInterval, target, 4);
        n += Text(p.ContentType, PropertyId.ContentType, target);
        n += Text(p.ResponseTopic, PropertyId.ResponseTopic, target);
        n += Fixed(p.CorrelationData is not null, PropertyId.CorrelationData, target, p.CorrelationData is { } cd ? MqttWriter.BinarySize(cd.Length) : 0);
        if (p.SubscriptionIdentifiers.Count > 0)
        {
            Check(PropertyId.SubscriptionIdentifier, target);
            if (target != PropertyTargets.Publish && p.SubscriptionIdentifiers.Count > 1)
            {
                throw new ArgumentException("Only PUBLISH may carry several subscription identifiers (3.8.2.1.2).", nameof(p));
            }

            for (var i = 0; i < p.SubscriptionIdentifiers.Count; i++)
            {
                var id = p.SubscriptionIdentifiers[i];
                if (id is 0 or > 268_435_455)
                {
                    throw new ArgumentException("Subscription identifier must be 1 to 268,435,455 (3.8.2.1.2).", nameof(p));
                }

                n += 1 + MqttWriter.VariableByteIntegerSize((int)id);
            }
        }

        n += Fixed(p.SessionExpiryInterval.HasValue, PropertyId.SessionExpiryInterval, target, 4);
        n += Text(p.AssignedClientIdentifier, PropertyId.AssignedClientIdentifier, target);
        n += Fixed(p.ServerKeepAlive.HasValue, PropertyId.ServerKeepAlive, target, 2);
        n += Text(p.AuthenticationMethod, PropertyId.AuthenticationMethod, target);
        n += Fixed(p.AuthenticationData is not null, PropertyId.AuthenticationData, target, p.AuthenticationData is { } ad ? MqttWriter.BinarySize(ad.Length) : 0);
        n += Fixed(p.RequestProblemInformation.HasValue, PropertyId.RequestProblemInformation, target, 1);
        n += Fixed(p.WillDelayInterval.HasValue, PropertyId.WillDelayInterval, target, 4);
        n += Fixed(p.RequestResponseInformation.HasValue, PropertyId.RequestResponseInformation, target, 1);
        n += Text(p.ResponseInformation, PropertyId.ResponseInformation, target);
        n += Text(p.ServerReference, PropertyId.ServerReference, target);
        n += Text(p.ReasonString, PropertyId.ReasonString, target);
        n += Fixed(p.ReceiveMaximum.HasValue, PropertyId.ReceiveMaximum, target, 2);
        n += Fixed(p.TopicAliasMaximum.HasValue, PropertyId.TopicAliasMaximum, target, 2);
        n += Fixed(p.TopicAlias.HasValue, PropertyId.TopicAlias, target, 2);
        n += Fixed(p.MaximumQoS.HasValue, PropertyId.MaximumQoS, target, 1);
        n += Fixed(p.RetainAvailable.HasValue, PropertyId.RetainAvailable, target, 1);
        for (var i = 0; i < p.UserProperties.Count; i++)
        {
            var user = p.UserProperties[i];
            n += 1 + MqttWriter.StringSize(user.Name) + MqttWriter.StringSize(user.Value);
        }

        n += Fixed(p.MaximumPacketSize.HasValue, PropertyId.MaximumPacketSize, target, 4);
        n += Fixed(p.WildcardSubscriptionAvailable.HasValue, PropertyId.WildcardSubscriptionAvailable, target, 1);
        n += Fixed(p.SubscriptionIdentifierAvailable.HasValue, PropertyId.SubscriptionIdentifierAvailable, target, 1);
        n += Fixed(p.SharedSubscriptionAvailable.HasValue, PropertyId.SharedSubscriptionAvailable, target, 1);
        return n;
    }

    /// <summary>Writes the length prefix and the content measured by <see cref="Measure"/>.</summary>
    public static void Write(ref MqttWriter w, MqttProperties? p, int length)
    {
        w.WriteVariableByteInteger(length);
        if (p is null || length == 0)
        {
            return;
        }

        if (p.PayloadFormatIndicator is { } pfi)
        {
            w.WriteByte((byte)PropertyId.PayloadFormatIndicator);
            w.WriteByte(pfi);
        }

        WriteUInt32(ref w, PropertyId.MessageExpiryInterval, p.MessageExpiryInterval);
        WriteText(ref w, PropertyId.ContentType, p.ContentType);
        WriteText(ref w, PropertyId.ResponseTopic, p.ResponseTopic);
        if (p.CorrelationData is { } correlation)
        {
            w.WriteByte((byte)PropertyId.CorrelationData);
            w.WriteBinary(correlation);
        }

        for (var i = 0; i < p.SubscriptionIdentifiers.Count; i++)
        {
            var id = p.SubscriptionIdentifiers[i];
            w.WriteByte((byte)PropertyId.SubscriptionIdentifier);
            w.WriteVariableByteInteger((int)id);
        }

        WriteUInt32(ref w, PropertyId.SessionExpiryInterval, p.SessionExpiryInterval);
        WriteText(ref w, PropertyId.AssignedClientIdentifier, p.AssignedClientIdentifier);
        WriteUInt16(ref w, PropertyId.ServerKeepAlive, p.ServerKeepAlive);
        WriteText(ref w, PropertyId.AuthenticationMethod, p.AuthenticationMethod);
        if (p.AuthenticationData is { } authData)
        {
            w.WriteByte((byte)PropertyId.AuthenticationData);
            w.WriteBinary(authData);
        }

        WriteByte(ref w, PropertyId.RequestProblemInformation, p.RequestProblemInformation);
        WriteUInt32(ref w, PropertyId.WillDelayInterval, p.WillDelayInterval);
        WriteByte(ref w, PropertyId.RequestResponseInformation, p.RequestResponseInformation);
        WriteText(ref w, PropertyId.ResponseInformation, p.ResponseInformation);
        WriteText(ref w, PropertyId.ServerReference, p.ServerReference);
        WriteText(ref w, PropertyId.ReasonString, p.ReasonString);
        WriteUInt16(ref w, PropertyId.ReceiveMaximum, p.ReceiveMaximum);
        WriteUInt16(ref w, PropertyId.TopicAliasMaximum, p.TopicAliasMaximum);
        WriteUInt16(ref w, PropertyId.TopicAlias, p.TopicAlias);
        WriteByte(ref w, PropertyId.MaximumQoS, p.MaximumQoS);
        WriteByte(ref w, PropertyId.RetainAvailable, p.RetainAvailable);
        for (var i = 0; i < p.UserProperties.Count; i++)
        {
            var user = p.UserProperties[i];
            w.WriteByte((byte)PropertyId.UserProperty);
            w.WriteString(user.Name);
            w.WriteString(user.Value);
        }

        WriteUInt32(ref w, PropertyId.MaximumPacketSize, p.MaximumPacketSize);
        WriteByte(ref w, PropertyId.WildcardSubscriptionAvailable, p.WildcardSubscriptionAvailable);
        WriteByte(ref w, PropertyId.SubscriptionIdentifierAvailable, p.SubscriptionIdentifierAvailable);
        WriteByte(ref w, PropertyId.SharedSubscriptionAvailable, p.SharedSubscriptionAvailable);
    }

    private static int Fixed(bool present, PropertyId id, PropertyTargets target, int size)
    {
        if (!present)
        {
            return 0;
        }

        Check(id, target);
        return 1 + size;
    }

    private static int Text(string? value, PropertyId id, PropertyTargets target)
    {
        if (value is null)
        {
            return 0;
        }

        Check(id, target);
        return 1 + MqttWriter.StringSize(value);
    }

    private static void Check(PropertyId id, PropertyTargets target)
    {
        if (!PropertyRules.IsAllowed(id, target))
        {
            throw new ArgumentException($"Property {id} is not allowed in {target} (2.2.2.2).");
        }
    }

    private static void WriteByte(ref MqttWriter w, PropertyId id, byte? value)
    {
        if (value is { } v)
        {
            w.WriteByte((byte)id);
            w.WriteByte(v);
        }
    }

    private static void WriteUInt16(ref MqttWriter w, PropertyId id, ushort? value)
    {
        if (value is { } v)
        {
            w.WriteByte((byte)id);
            w.WriteUInt16(v);
        }
    }

    private static void WriteUInt32(ref MqttWriter w, PropertyId id, uint? value)
    {
        if (value is { } v)
        {
            w.WriteByte((byte)id);
            w.WriteUInt32(v);
        }
    }

    private static void WriteText(ref MqttWriter w, PropertyId id, string? value)
    {
        if (value is not null)
        {
            w.WriteByte((byte)id);
            w.WriteString(value);
        }
    }
}
