namespace Millwright.Tests.Production;

public sealed class PostgresProductionHost() : ProductionHost(postgres: true);
