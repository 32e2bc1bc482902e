namespace Millwright.Tests.Live;

public sealed class LiveSqliteHost() : LiveHost(postgres: false);
