namespace Millwright.Tests.Harness;

/// <summary>The real app on SQLite with its MQTT server listening on a free loopback port.</summary>
public sealed class MqttSqliteHost() : HostFixture(postgres: false, mqtt: true);
