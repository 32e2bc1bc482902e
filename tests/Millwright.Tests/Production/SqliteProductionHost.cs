namespace Millwright.Tests.Production;

public sealed class SqliteProductionHost() : ProductionHost(postgres: false);
