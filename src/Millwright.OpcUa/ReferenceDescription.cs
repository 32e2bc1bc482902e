namespace Millwright.OpcUa;

/// <summary>One reference a Browse found (OPC 10000-4 7.30).</summary>
internal sealed record ReferenceDescription(NodeId ReferenceTypeId, bool IsForward, ExpandedNodeId NodeId, QualifiedName BrowseName,
    LocalizedText DisplayName, NodeClass NodeClass, ExpandedNodeId TypeDefinition);
