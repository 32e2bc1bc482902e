namespace Millwright.OpcUa;

/// <summary>A NodeId that may name its namespace by URI and live on another server (OPC 10000-6 5.2.2.10).</summary>
internal sealed record ExpandedNodeId(NodeId NodeId, string? NamespaceUri = null, uint ServerIndex = 0)
{
    public override string ToString() =>
        (ServerIndex == 0 ? "" : $"svr={ServerIndex};") + (NamespaceUri is null ? NodeId.ToString() : $"nsu={NamespaceUri};{NodeId.ToString().Split(';')[^1]}");
}
