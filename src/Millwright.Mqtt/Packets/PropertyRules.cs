namespace Millwright.Mqtt.Packets;

/// <summary>The "used in" column of the 5.0 property table (section 2.2.2.2).</summary>
public static class PropertyRules
{
    private const PropertyTargets Acks = PropertyTargets.PubAck | PropertyTargets.PubRec | PropertyTargets.PubRel | PropertyTargets.PubComp;
    private const PropertyTargets Message = PropertyTargets.Publish | PropertyTargets.Will;

    /// <summary>Targets a property may appear in; <see cref="PropertyTargets.None"/> for an unknown identifier.</summary>
    public static PropertyTargets AllowedIn(PropertyId id) => id switch
    {
        PropertyId.PayloadFormatIndicator => Message,
        PropertyId.MessageExpiryInterval => Message,
        PropertyId.ContentType => Message,
        PropertyId.ResponseTopic => Message,
        PropertyId.CorrelationData => Message,
        PropertyId.SubscriptionIdentifier => PropertyTargets.Publish | PropertyTargets.Subscribe,
        PropertyId.SessionExpiryInterval => PropertyTargets.Connect | PropertyTargets.ConnAck | PropertyTargets.Disconnect,
        PropertyId.AssignedClientIdentifier => PropertyTargets.ConnAck,
        PropertyId.ServerKeepAlive => PropertyTargets.ConnAck,
        PropertyId.AuthenticationMethod => PropertyTargets.Connect | PropertyTargets.ConnAck | PropertyTargets.Auth,
        PropertyId.AuthenticationData => PropertyTargets.Connect | PropertyTargets.ConnAck | PropertyTargets.Auth,
        PropertyId.RequestProblemInformation => PropertyTargets.Connect,
        PropertyId.WillDelayInterval => PropertyTargets.Will,
        PropertyId.RequestResponseInformation => PropertyTargets.Connect,
        PropertyId.ResponseInformation => PropertyTargets.ConnAck,
        PropertyId.ServerReference => PropertyTargets.ConnAck | PropertyTargets.Disconnect,
        PropertyId.ReasonString => PropertyTargets.ConnAck | Acks | PropertyTargets.SubAck | PropertyTargets.UnsubAck
            | PropertyTargets.Disconnect | PropertyTargets.Auth,
        PropertyId.ReceiveMaximum => PropertyTargets.Connect | PropertyTargets.ConnAck,
        PropertyId.TopicAliasMaximum => PropertyTargets.Connect | PropertyTargets.ConnAck,
        PropertyId.TopicAlias => PropertyTargets.Publish,
        PropertyId.MaximumQoS => PropertyTargets.ConnAck,
        PropertyId.RetainAvailable => PropertyTargets.ConnAck,
        PropertyId.UserProperty => ~PropertyTargets.None,
        PropertyId.MaximumPacketSize => PropertyTargets.Connect | PropertyTargets.ConnAck,
        PropertyId.WildcardSubscriptionAvailable => PropertyTargets.ConnAck,
        PropertyId.SubscriptionIdentifierAvailable => PropertyTargets.ConnAck,
        PropertyId.SharedSubscriptionAvailable => PropertyTargets.ConnAck,
        _ => PropertyTargets.None,
    };

    public static bool IsAllowed(PropertyId id, PropertyTargets target) => (AllowedIn(id) & target) != 0;
}
