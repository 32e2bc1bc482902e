namespace Millwright.Mqtt;

/// <summary>MQTT 3.1.1 CONNACK return codes (3.1.1 section 3.2.2.3); 6-255 are reserved.</summary>
public enum ConnectReturnCode
{
    Accepted = 0,
    UnacceptableProtocolVersion = 1,
    IdentifierRejected = 2,
    ServerUnavailable = 3,
    BadUserNameOrPassword = 4,
    NotAuthorized = 5,
}
