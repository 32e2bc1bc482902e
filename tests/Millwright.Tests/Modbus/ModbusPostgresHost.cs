using Millwright.Tests.Harness;

namespace Millwright.Tests.Modbus;

/// <summary>A shared host on PostgreSQL whose egress policy opens loopback, where the tests' Modbus devices listen.</summary>
public sealed class ModbusPostgresHost() : HostFixture(postgres: true, allowLoopbackEgress: true);
