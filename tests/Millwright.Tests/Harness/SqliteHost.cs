namespace Millwright.Tests.Harness;

public sealed class SqliteHost() : HostFixture(postgres: false);
