namespace Millwright.Mqtt;

/// <summary>
/// The one exception the decoder throws for bytes that break the specification. <see cref="Reason"/> is the
/// reason code a 5.0 server puts in its CONNACK or DISCONNECT before closing (5.0 section 4.13); a 3.1.1
/// server just closes the connection, except for <see cref="ReasonCode.UnsupportedProtocolVersion"/> and
/// <see cref="ReasonCode.ClientIdentifierNotValid"/> which have CONNACK return codes.
/// </summary>
public sealed class MqttProtocolException : Exception
{
    public MqttProtocolException(ReasonCode reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    public MqttProtocolException()
        : this(ReasonCode.MalformedPacket, "Malformed packet.")
    {
    }

    public MqttProtocolException(string message)
        : this(ReasonCode.MalformedPacket, message)
    {
    }

    public MqttProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = ReasonCode.MalformedPacket;
    }

    public ReasonCode Reason { get; }
}
