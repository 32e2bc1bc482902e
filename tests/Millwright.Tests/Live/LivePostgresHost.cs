namespace Millwright.Tests.Live;

public sealed class LivePostgresHost() : LiveHost(postgres: true);
