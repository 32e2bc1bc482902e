using System.Diagnostics.CodeAnalysis;

namespace Millwright.Mqtt.Codec;

/// <summary>Throw helpers, so the decoder's hot paths stay small enough to inline.</summary>
internal static class ProtocolErrors
{
    [DoesNotReturn]
    public static void Malformed(string message) => throw new MqttProtocolException(ReasonCode.MalformedPacket, message);

    [DoesNotReturn]
    public static void Protocol(string message) => throw new MqttProtocolException(ReasonCode.ProtocolError, message);

    [DoesNotReturn]
    public static void Throw(ReasonCode reason, string message) => throw new MqttProtocolException(reason, message);
}
