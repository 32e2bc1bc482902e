namespace Millwright.Tests.Egress;

public sealed class EgressSqliteHost() : EgressHost(postgres: false);
