using Millwright.Mqtt.Packets;

namespace Millwright.Mqtt.Server;

/// <summary>
/// A message as the broker routes it: the publish's topic, payload and the properties that travel with it
/// to subscribers (5.0 section 3.3.2.3), with its expiry turned into an absolute deadline.
/// </summary>
internal sealed class ApplicationMessage
{
    public required string Topic { get; init; }
    public required ReadOnlyMemory<byte> Payload { get; init; }
    public required QualityOfService QoS { get; init; }
    public bool Retain { get; init; }

    /// <summary>Unix ms after which the message is no longer delivered; null = never expires (3.3.2.3.3).</summary>
    public long? ExpiresAt { get; init; }

    public byte? PayloadFormatIndicator { get; init; }
    public string? ContentType { get; init; }
    public string? ResponseTopic { get; init; }
    public byte[]? CorrelationData { get; init; }
    public IReadOnlyList<UserProperty> UserProperties { get; init; } = [];

    /// <summary>Who sent it, for No Local subscriptions (3.8.3.1); null for messages the server makes.</summary>
    public string? SenderClientId { get; init; }

    /// <summary>The account a retained copy counts against: the publisher's; null for the server's own messages.</summary>
    public MqttAccount? Account { get; init; }

    /// <summary>A publish on its own topic name (a peer's, or one stored by the retained replica).</summary>
    /// <param name="expiresAt">The deadline kept with a stored message: its expiry interval counted from when it was set, not from now.</param>
    public static ApplicationMessage From(PublishPacket publish, string? sender, long now, MqttAccount? account = null, long? expiresAt = null) =>
        From(publish, publish.Topic, sender, now, account, expiresAt);

    public static ApplicationMessage From(PublishPacket publish, string topic, string? sender, long now, MqttAccount? account = null, long? expiresAt = null) => new()
    {
        Account = account,
        Topic = topic,
        Payload = publish.Payload,
        QoS = publish.QoS,
        Retain = publish.Retain,
        ExpiresAt = expiresAt ?? (publish.Properties?.MessageExpiryInterval is { } seconds ? now + (seconds * 1000L) : null),
        PayloadFormatIndicator = publish.Properties?.PayloadFormatIndicator,
        ContentType = publish.Properties?.ContentType,
        ResponseTopic = publish.Properties?.ResponseTopic,
        CorrelationData = publish.Properties?.CorrelationData,
        UserProperties = publish.Properties?.UserProperties ?? [],
        SenderClientId = sender,
    };

    public bool IsExpired(long now) => ExpiresAt is { } deadline && now >= deadline;

    /// <summary>The PUBLISH to a subscriber, with the expiry it has left (3.3.2.3.3) and its subscription ids.</summary>
    public PublishPacket ToPacket(QualityOfService qos, bool retain, ushort packetId, IReadOnlyList<uint> subscriptionIds, long now, bool v5)
    {
        MqttProperties? properties = null;
        if (v5 && (ExpiresAt is not null || PayloadFormatIndicator is not null || ContentType is not null || ResponseTopic is not null
            || CorrelationData is not null || UserProperties.Count > 0 || subscriptionIds.Count > 0))
        {
            properties = new MqttProperties
            {
                MessageExpiryInterval = ExpiresAt is { } deadline ? (uint)Math.Max(0, (deadline - now + 999) / 1000) : null,
                PayloadFormatIndicator = PayloadFormatIndicator,
                ContentType = ContentType,
                ResponseTopic = ResponseTopic,
                CorrelationData = CorrelationData,
                UserProperties = UserProperties,
                SubscriptionIdentifiers = subscriptionIds,
            };
        }

        return new PublishPacket { Topic = Topic, Payload = Payload, QoS = qos, Retain = retain, PacketId = packetId, Properties = properties };
    }
}
