namespace Millwright.Features.Cluster;

/// <summary>A node refused to join because its store is in use by a cluster of another name.</summary>
internal sealed class ClusterMismatchException(string message) : InvalidOperationException(message);
