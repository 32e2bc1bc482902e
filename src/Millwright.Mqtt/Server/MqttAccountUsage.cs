namespace Millwright.Mqtt.Server;

/// <summary>What an account holds in the broker now.</summary>
public readonly record struct MqttAccountUsage(int Connections, int PersistentSessions, int RetainedMessages, long RetainedBytes);
