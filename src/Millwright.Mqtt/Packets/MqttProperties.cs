namespace Millwright.Mqtt.Packets;

/// <summary>
/// The MQTT 5.0 property bag (section 2.2.2). A null value means "absent": most properties have a default
/// that differs from any value the sender could write, so absence is kept distinct. Which properties a
/// packet may carry is checked by <see cref="PropertyRules"/> in both directions. Optional binary values are
/// arrays, not ReadOnlyMemory?: `cond ? array : null` converts to a non-null empty ReadOnlyMemory?, a trap
/// the fuzzer caught once (see FuzzRegressionTests).
/// </summary>
public sealed class MqttProperties
{
    public byte? PayloadFormatIndicator { get; set; }
    public uint? MessageExpiryInterval { get; set; }
    public string? ContentType { get; set; }
    public string? ResponseTopic { get; set; }
    public byte[]? CorrelationData { get; set; }

    /// <summary>Repeatable in PUBLISH from server to client; at most one in SUBSCRIBE (3.8.2.1.2).</summary>
    public IReadOnlyList<uint> SubscriptionIdentifiers { get; set; } = [];

    public uint? SessionExpiryInterval { get; set; }
    public string? AssignedClientIdentifier { get; set; }
    public ushort? ServerKeepAlive { get; set; }
    public string? AuthenticationMethod { get; set; }
    public byte[]? AuthenticationData { get; set; }
    public byte? RequestProblemInformation { get; set; }
    public uint? WillDelayInterval { get; set; }
    public byte? RequestResponseInformation { get; set; }
    public string? ResponseInformation { get; set; }
    public string? ServerReference { get; set; }
    public string? ReasonString { get; set; }
    public ushort? ReceiveMaximum { get; set; }
    public ushort? TopicAliasMaximum { get; set; }
    public ushort? TopicAlias { get; set; }
    public byte? MaximumQoS { get; set; }
    public byte? RetainAvailable { get; set; }

    /// <summary>Repeatable and ordered (5.0 section 3.1.2.11.8).</summary>
    public IReadOnlyList<UserProperty> UserProperties { get; set; } = [];

    public uint? MaximumPacketSize { get; set; }
    public byte? WildcardSubscriptionAvailable { get; set; }
    public byte? SubscriptionIdentifierAvailable { get; set; }
    public byte? SharedSubscriptionAvailable { get; set; }
}
