namespace Millwright.Mqtt.Packets;

/// <summary>Maps between 5.0 CONNACK reason codes and 3.1.1 return codes (3.1.1 section 3.2.2.3).</summary>
public static class ConnectReturnCodes
{
    public static ConnectReturnCode FromReasonCode(ReasonCode reason) => reason switch
    {
        ReasonCode.Success => ConnectReturnCode.Accepted,
        ReasonCode.UnsupportedProtocolVersion => ConnectReturnCode.UnacceptableProtocolVersion,
        ReasonCode.ClientIdentifierNotValid => ConnectReturnCode.IdentifierRejected,
        ReasonCode.BadUserNameOrPassword => ConnectReturnCode.BadUserNameOrPassword,
        ReasonCode.NotAuthorized or ReasonCode.Banned or ReasonCode.BadAuthenticationMethod => ConnectReturnCode.NotAuthorized,

        // A quota refusal is final for this client until its owner's use falls: "not authorized", not "try again".
        ReasonCode.QuotaExceeded or ReasonCode.ConnectionRateExceeded => ConnectReturnCode.NotAuthorized,

        // 3.1.1 has no finer refusal than "server unavailable" for everything else.
        _ => ConnectReturnCode.ServerUnavailable,
    };

    public static ReasonCode ToReasonCode(ConnectReturnCode code) => code switch
    {
        ConnectReturnCode.Accepted => ReasonCode.Success,
        ConnectReturnCode.UnacceptableProtocolVersion => ReasonCode.UnsupportedProtocolVersion,
        ConnectReturnCode.IdentifierRejected => ReasonCode.ClientIdentifierNotValid,
        ConnectReturnCode.ServerUnavailable => ReasonCode.ServerUnavailable,
        ConnectReturnCode.BadUserNameOrPassword => ReasonCode.BadUserNameOrPassword,
        ConnectReturnCode.NotAuthorized => ReasonCode.NotAuthorized,
        _ => throw new ArgumentOutOfRangeException(nameof(code)),
    };
}
