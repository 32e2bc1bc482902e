using Millwright.Tests.Harness;

namespace Millwright.Tests.Fleet;

/// <summary>Hosts whose egress policy lets tenants reach 127.0.0.1, where the tests' AEMP feeds listen.</summary>
public sealed class FleetFeedSqliteHost() : HostFixture(postgres: false, allowLoopbackEgress: true);

public sealed class FleetFeedPostgresHost() : HostFixture(postgres: true, allowLoopbackEgress: true);
