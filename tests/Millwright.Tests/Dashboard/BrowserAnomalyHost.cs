namespace Millwright.Tests.Dashboard;

/// <summary>The browser host with no settle time after a state change, so readings sent at once are judged for anomalies.</summary>
public sealed class BrowserAnomalyHost() : BrowserHost(postgres: false, anomaliesAtOnce: true);
