using Millwright.Tests.Harness;

namespace Millwright.Tests.Modbus;

/// <summary>A shared host whose egress policy opens loopback, where the tests' Modbus devices listen.</summary>
public sealed class ModbusSqliteHost() : HostFixture(postgres: false, allowLoopbackEgress: true);
