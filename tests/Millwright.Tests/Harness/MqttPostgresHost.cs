namespace Millwright.Tests.Harness;

/// <summary>The real app on PostgreSQL with its MQTT server listening on a free loopback port.</summary>
public sealed class MqttPostgresHost() : HostFixture(postgres: true, mqtt: true);
