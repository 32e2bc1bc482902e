namespace Millwright.Tests.Dashboard;

public sealed class BrowserSqliteHost() : BrowserHost(postgres: false);
