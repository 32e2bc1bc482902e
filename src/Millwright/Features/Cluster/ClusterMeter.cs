namespace Millwright.Features.Cluster;

/// <summary>The meter of cluster mode's counters (bridge, planner relay), exported on <c>/metrics</c> with the others.</summary>
internal static class ClusterMeter
{
    public const string Name = "Millwright.Cluster";
}
