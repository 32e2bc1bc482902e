namespace Millwright.Tests.Architecture;

/// <summary>
/// The dependency direction of src/Millwright/Features, as docs/architecture.md states it: a feature folder may
/// reference only folders of a lower layer, never its own layer or a higher one, so the graph stays acyclic.
/// Features above learn of things below through interfaces the lower one owns (ITelemetryObserver,
/// IStateChangeListener, ICalendarListener, the machine-command port).
/// </summary>
internal static class FeatureLayers
{
    public static readonly string[][] Layers =
    [
        ["Tenants", "Hierarchy", "Sites", "MachineTypes", "Audit", "Metrics", "Quotas", "History", "Cluster"],
        ["Areas", "Lines", "Machines", "ApiKeys"],
        ["DeviceCredentials", "PlantFiles", "Calendars", "Makerspace"],
        ["Telemetry", "Inventory"],
        ["Series", "Connectivity", "States", "Alarms", "ClusterIngest"],
        ["Live", "Kpis", "Fleet", "Modbus", "OpcUa", "Anomalies", "Maintenance", "ClusterBridge"],
        ["Production", "Energy"],
        ["Goals", "Sharing", "Embroidery", "Erp", "Tailoring", "Design", "ClusterLeaders"],
    ];

    /// <summary>
    /// References that break the rule today, each with the reason and what removes it. The test fails when one
    /// is no longer needed, so the list only ever shrinks.
    /// </summary>
    public static readonly Dictionary<(string From, string To), string> Waivers = [];

    public static int LayerOf(string feature)
    {
        for (var i = 0; i < Layers.Length; i++)
        {
            if (Layers[i].Contains(feature, StringComparer.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
