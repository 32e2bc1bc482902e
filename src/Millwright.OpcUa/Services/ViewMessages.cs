using Millwright.OpcUa.Encoding;

namespace Millwright.OpcUa.Services;

/// <summary>Bodies of Browse, BrowseNext and TranslateBrowsePathsToNodeIds (OPC 10000-4 5.8).</summary>
internal static class ViewMessages
{
    /// <summary>ResultMask: every field of the ReferenceDescription (0x3F).</summary>
    private const uint AllResultFields = 0x3F;

    /// <summary>View (null view), RequestedMaxReferencesPerNode, NodesToBrowse (forward, hierarchical references and subtypes).</summary>
    public static void WriteBrowse(UaWriter w, IReadOnlyList<NodeId> nodes, uint maxReferences, NodeClass classMask)
    {
        w.WriteNodeId(NodeId.Null);
        w.WriteDateTime(DateTime.MinValue);
        w.WriteUInt32(0);
        w.WriteUInt32(maxReferences);
        w.WriteArray(nodes, (x, node) =>
        {
            x.WriteNodeId(node);
            x.WriteEnum(0); // BrowseDirection Forward
            x.WriteNodeId(WellKnownNodes.HierarchicalReferences);
            x.WriteBoolean(true);
            x.WriteUInt32((uint)classMask);
            x.WriteUInt32(AllResultFields);
        });
    }

    public static void WriteBrowseNext(UaWriter w, IReadOnlyList<byte[]> continuationPoints, bool release)
    {
        w.WriteBoolean(release);
        w.WriteArray(continuationPoints, (x, p) => x.WriteByteString(p));
    }

    /// <summary>Results (BrowseResult[]), DiagnosticInfos: the response of both Browse and BrowseNext.</summary>
    public static IReadOnlyList<BrowseResult> ReadBrowseResults(UaReader r)
    {
        var results = r.ReadList(x => new BrowseResult(x.ReadStatusCode(), x.ReadByteString(), x.ReadList(ReadReference)));
        r.ReadList(x => x.ReadDiagnosticInfo());
        return results;
    }

    /// <summary>BrowsePaths: each a starting node and elements (hierarchical references, subtypes, target browse name).</summary>
    public static void WriteTranslate(UaWriter w, IReadOnlyList<(NodeId Start, IReadOnlyList<QualifiedName> Path)> paths)
    {
        w.WriteArray(paths, (x, path) =>
        {
            x.WriteNodeId(path.Start);
            x.WriteArray(path.Path, (y, name) =>
            {
                y.WriteNodeId(WellKnownNodes.HierarchicalReferences);
                y.WriteBoolean(false);
                y.WriteBoolean(true);
                y.WriteQualifiedName(name);
            });
        });
    }

    public static IReadOnlyList<BrowsePathResult> ReadTranslate(UaReader r)
    {
        var results = r.ReadList(x => new BrowsePathResult(x.ReadStatusCode(), x.ReadList(y => (y.ReadExpandedNodeId(), y.ReadUInt32()))));
        r.ReadList(x => x.ReadDiagnosticInfo());
        return results;
    }

    private static ReferenceDescription ReadReference(UaReader r) => new(
        r.ReadNodeId(), r.ReadBoolean(), r.ReadExpandedNodeId(), r.ReadQualifiedName(), r.ReadLocalizedText(), (NodeClass)r.ReadEnum(), r.ReadExpandedNodeId());
}
