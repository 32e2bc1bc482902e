namespace Millwright.Tests.Dashboard;

public sealed class BrowserPostgresHost() : BrowserHost(postgres: true);
