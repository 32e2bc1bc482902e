namespace Millwright.Tests.Dashboard;

/// <summary>A browser host whose platform may reach OPC UA and Modbus peers on loopback (the machine link page tests).</summary>
public sealed class BrowserLinkSqliteHost() : BrowserHost(postgres: false, allowLoopbackEgress: true);
