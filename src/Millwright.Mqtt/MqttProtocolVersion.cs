namespace Millwright.Mqtt;

/// <summary>The protocol level byte of CONNECT (3.1.1 section 3.1.2.2, 5.0 section 3.1.2.2).</summary>
public enum MqttProtocolVersion
{
    /// <summary>Not negotiated yet: the only packet a server may receive is CONNECT.</summary>
    Unknown = 0,
    V311 = 4,
    V500 = 5,
}
