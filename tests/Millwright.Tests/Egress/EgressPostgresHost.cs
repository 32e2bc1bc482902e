namespace Millwright.Tests.Egress;

public sealed class EgressPostgresHost() : EgressHost(postgres: true);
