namespace Millwright.Tests.Alarms;

public sealed class ClockedSqliteHost() : ClockedHost(postgres: false);
