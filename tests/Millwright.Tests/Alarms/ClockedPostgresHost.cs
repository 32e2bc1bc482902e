namespace Millwright.Tests.Alarms;

public sealed class ClockedPostgresHost() : ClockedHost(postgres: true);
