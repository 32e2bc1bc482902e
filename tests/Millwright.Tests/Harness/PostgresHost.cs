namespace Millwright.Tests.Harness;

public sealed class PostgresHost() : HostFixture(postgres: true);
