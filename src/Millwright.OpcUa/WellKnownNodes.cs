namespace Millwright.OpcUa;

/// <summary>Namespace-0 nodes and reference types of OPC 10000-6 Annex A (NodeIds.csv) the client starts from.</summary>
internal static class WellKnownNodes
{
    public static readonly NodeId RootFolder = new(0, 84u);
    public static readonly NodeId ObjectsFolder = new(0, 85u);
    public static readonly NodeId Server = new(0, 2253u);
    public static readonly NodeId ServerStatusState = new(0, 2259u);
    public static readonly NodeId NamespaceArray = new(0, 2255u);
    public static readonly NodeId HierarchicalReferences = new(0, 33u);
    public static readonly NodeId HasComponent = new(0, 47u);
    public static readonly NodeId Organizes = new(0, 35u);
    public static readonly NodeId HasProperty = new(0, 46u);
}
