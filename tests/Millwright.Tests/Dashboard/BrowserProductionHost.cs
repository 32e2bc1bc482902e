namespace Millwright.Tests.Dashboard;

public sealed class BrowserProductionHost() : BrowserHost(postgres: false, production: true);
