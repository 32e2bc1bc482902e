namespace Millwright.OpcUa;

/// <summary>OPC 10000-4 5.8.4: the nodes a browse path led to; RemainingPathIndex is uint.MaxValue for a complete match.</summary>
internal sealed record BrowsePathResult(StatusCode Status, IReadOnlyList<(ExpandedNodeId TargetId, uint RemainingPathIndex)> Targets);
