namespace Millwright.Mqtt.Server;

/// <summary>
/// What one account (on the platform: one tenant) may make the broker hold or do; a null member sets no limit.
/// The gate names a client's account and its limits; the broker keeps the counts and refuses at the limit.
/// </summary>
public sealed record MqttAccountLimits
{
    public static readonly MqttAccountLimits None = new();

    /// <summary>Open connections of the account's clients; more are refused at CONNECT with 0x97 Quota exceeded.</summary>
    public int? Connections { get; init; }

    /// <summary>CONNECT attempts per second that pass the gate; more are refused with 0x9F Connection rate exceeded.</summary>
    public double? ConnectRate { get; init; }

    /// <summary>Sessions kept beyond their connection (session expiry above 0, or a 3.1.1 persistent session).</summary>
    public int? PersistentSessions { get; init; }

    /// <summary>Topic filters one session may hold; more are refused in the SUBACK.</summary>
    public int? SubscriptionsPerSession { get; init; }

    /// <summary>Retained topics the account's publishes hold, and their payload bytes.</summary>
    public int? RetainedMessages { get; init; }

    public long? RetainedBytes { get; init; }

    /// <summary>Publishes per second, all the account's connections together; above it they are read more slowly.</summary>
    public double? PublishRate { get; init; }
}
