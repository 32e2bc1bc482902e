namespace Millwright.Mqtt.Codec;

/// <summary>Which side of the connection decodes: each side receives only the packets the other may send (2.1.2 "direction").</summary>
public enum MqttDecoderRole
{
    /// <summary>Every packet type is accepted (tools, tests).</summary>
    Any = 0,

    /// <summary>A server: CONNACK, SUBACK, UNSUBACK and PINGRESP are protocol errors, as is a subscription identifier in PUBLISH.</summary>
    Server = 1,

    /// <summary>A client: CONNECT, SUBSCRIBE, UNSUBSCRIBE and PINGREQ are protocol errors.</summary>
    Client = 2,
}
