namespace Millwright.Tests.Dashboard;

/// <summary>As <see cref="BrowserLinkSqliteHost"/>, on PostgreSQL.</summary>
public sealed class BrowserLinkPostgresHost() : BrowserHost(postgres: true, allowLoopbackEgress: true);
