using Millwright.Mqtt.Packets;

namespace Millwright.Mqtt.Server;

/// <summary>One subscription of one session: the filter as subscribed (shared form included) and its options.</summary>
internal sealed record SessionSubscription(string Filter, string TopicFilter, string? ShareName, Subscription Options, uint? SubscriptionId);
