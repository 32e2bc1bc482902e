namespace Millwright.Mqtt.Codec;

/// <summary>Which 5.0 reason codes each packet may carry (the reason code tables of sections 3.2.2.2 to 3.15.2.1).</summary>
public static class ReasonCodeRules
{
    public static bool IsAllowed(PacketType packet, ReasonCode code) => packet switch
    {
        PacketType.ConnAck => code is ReasonCode.Success or ReasonCode.UnspecifiedError or ReasonCode.MalformedPacket
            or ReasonCode.ProtocolError or ReasonCode.ImplementationSpecificError or ReasonCode.UnsupportedProtocolVersion
            or ReasonCode.ClientIdentifierNotValid or ReasonCode.BadUserNameOrPassword or ReasonCode.NotAuthorized
            or ReasonCode.ServerUnavailable or ReasonCode.ServerBusy or ReasonCode.Banned or ReasonCode.BadAuthenticationMethod
            or ReasonCode.TopicNameInvalid or ReasonCode.PacketTooLarge or ReasonCode.QuotaExceeded
            or ReasonCode.PayloadFormatInvalid or ReasonCode.RetainNotSupported or ReasonCode.QoSNotSupported
            or ReasonCode.UseAnotherServer or ReasonCode.ServerMoved or ReasonCode.ConnectionRateExceeded,
        PacketType.PubAck or PacketType.PubRec => code is ReasonCode.Success or ReasonCode.NoMatchingSubscribers
            or ReasonCode.UnspecifiedError or ReasonCode.ImplementationSpecificError or ReasonCode.NotAuthorized
            or ReasonCode.TopicNameInvalid or ReasonCode.PacketIdentifierInUse or ReasonCode.QuotaExceeded
            or ReasonCode.PayloadFormatInvalid,
        PacketType.PubRel or PacketType.PubComp => code is ReasonCode.Success or ReasonCode.PacketIdentifierNotFound,
        PacketType.SubAck => code is ReasonCode.Success or ReasonCode.GrantedQoS1 or ReasonCode.GrantedQoS2
            or ReasonCode.UnspecifiedError or ReasonCode.ImplementationSpecificError or ReasonCode.NotAuthorized
            or ReasonCode.TopicFilterInvalid or ReasonCode.PacketIdentifierInUse or ReasonCode.QuotaExceeded
            or ReasonCode.SharedSubscriptionsNotSupported or ReasonCode.SubscriptionIdentifiersNotSupported
            or ReasonCode.WildcardSubscriptionsNotSupported,
        PacketType.UnsubAck => code is ReasonCode.Success or ReasonCode.NoSubscriptionExisted or ReasonCode.UnspecifiedError
            or ReasonCode.ImplementationSpecificError or ReasonCode.NotAuthorized or ReasonCode.TopicFilterInvalid
            or ReasonCode.PacketIdentifierInUse,
        PacketType.Disconnect => code is ReasonCode.Success or ReasonCode.DisconnectWithWillMessage
            or ReasonCode.UnspecifiedError or ReasonCode.MalformedPacket or ReasonCode.ProtocolError
            or ReasonCode.ImplementationSpecificError or ReasonCode.NotAuthorized or ReasonCode.ServerBusy
            or ReasonCode.ServerShuttingDown or ReasonCode.KeepAliveTimeout or ReasonCode.SessionTakenOver
            or ReasonCode.TopicFilterInvalid or ReasonCode.TopicNameInvalid or ReasonCode.ReceiveMaximumExceeded
            or ReasonCode.TopicAliasInvalid or ReasonCode.PacketTooLarge or ReasonCode.MessageRateTooHigh
            or ReasonCode.QuotaExceeded or ReasonCode.AdministrativeAction or ReasonCode.PayloadFormatInvalid
            or ReasonCode.RetainNotSupported or ReasonCode.QoSNotSupported or ReasonCode.UseAnotherServer
            or ReasonCode.ServerMoved or ReasonCode.SharedSubscriptionsNotSupported or ReasonCode.ConnectionRateExceeded
            or ReasonCode.MaximumConnectTime or ReasonCode.SubscriptionIdentifiersNotSupported
            or ReasonCode.WildcardSubscriptionsNotSupported,
        PacketType.Auth => code is ReasonCode.Success or ReasonCode.ContinueAuthentication or ReasonCode.ReAuthenticate,
        _ => false,
    };
}
