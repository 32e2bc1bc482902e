namespace Millwright.Mqtt.Packets;

/// <summary>One topic filter with its subscription options (5.0 section 3.8.3.1).</summary>
public sealed record Subscription(
    string TopicFilter,
    QualityOfService QoS,
    bool NoLocal = false,
    bool RetainAsPublished = false,
    RetainHandling RetainHandling = RetainHandling.SendOnSubscribe);
