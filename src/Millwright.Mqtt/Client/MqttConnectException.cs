namespace Millwright.Mqtt.Client;

/// <summary>The server refused the connection (CONNACK with a failure reason code).</summary>
public sealed class MqttConnectException(ReasonCode reason, string? reasonString)
    : Exception($"The server refused the connection: {reason}{(reasonString is null ? "" : $" ({reasonString})")}")
{
    public ReasonCode Reason { get; } = reason;
}
