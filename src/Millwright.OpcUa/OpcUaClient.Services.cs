using Millwright.OpcUa.Services;

namespace Millwright.OpcUa;

/// <summary>The view, attribute and method services (OPC 10000-4 5.8, 5.10, 5.11).</summary>
internal sealed partial class OpcUaClient
{
    public Task<IReadOnlyList<DataValue>> ReadAsync(IReadOnlyList<(NodeId Node, uint Attribute)> nodes, CancellationToken ct = default) =>
        RequestAsync(EncodingIds.ReadRequest, w => AttributeMessages.WriteRead(w, nodes), EncodingIds.ReadResponse, "Read", AttributeMessages.ReadRead, ct);

    public Task<IReadOnlyList<DataValue>> ReadValuesAsync(IReadOnlyList<NodeId> nodes, CancellationToken ct = default) =>
        ReadAsync([.. nodes.Select(n => (n, AttributeId.Value))], ct);

    public Task<IReadOnlyList<StatusCode>> WriteAsync(IReadOnlyList<(NodeId Node, Variant Value)> writes, CancellationToken ct = default) =>
        RequestAsync(EncodingIds.WriteRequest, w => AttributeMessages.WriteWrite(w, writes), EncodingIds.WriteResponse, "Write", AttributeMessages.ReadStatuses, ct);

    public async Task<CallResult> CallAsync(NodeId objectId, NodeId methodId, IReadOnlyList<Variant> arguments, CancellationToken ct = default)
    {
        var results = await RequestAsync(EncodingIds.CallRequest, w => AttributeMessages.WriteCall(w, [(objectId, methodId, arguments)]),
            EncodingIds.CallResponse, "Call", AttributeMessages.ReadCall, ct);
        return results.Count == 1 ? results[0] : throw new OpcUaProtocolException($"Call: {results.Count} results for one method.");
    }

    /// <summary>One Browse of forward hierarchical references; follow <see cref="BrowseResult.ContinuationPoint"/> with BrowseNext.</summary>
    public async Task<BrowseResult> BrowseAsync(NodeId node, uint maxReferences = 0, NodeClass classMask = NodeClass.Unspecified, CancellationToken ct = default)
    {
        var results = await RequestAsync(EncodingIds.BrowseRequest, w => ViewMessages.WriteBrowse(w, [node], maxReferences, classMask),
            EncodingIds.BrowseResponse, "Browse", ViewMessages.ReadBrowseResults, ct);
        return results.Count == 1 ? results[0] : throw new OpcUaProtocolException($"Browse: {results.Count} results for one node.");
    }

    public async Task<BrowseResult> BrowseNextAsync(byte[] continuationPoint, bool release = false, CancellationToken ct = default)
    {
        var results = await RequestAsync(EncodingIds.BrowseNextRequest, w => ViewMessages.WriteBrowseNext(w, [continuationPoint], release),
            EncodingIds.BrowseNextResponse, "BrowseNext", ViewMessages.ReadBrowseResults, ct);
        return results.Count == 1 ? results[0] : throw new OpcUaProtocolException($"BrowseNext: {results.Count} results for one point.");
    }

    /// <summary>Every reference of a node, following continuation points until the server has no more.</summary>
    public async Task<IReadOnlyList<ReferenceDescription>> BrowseAllAsync(NodeId node, uint maxReferencesPerCall = 0, CancellationToken ct = default)
    {
        var result = await BrowseAsync(node, maxReferencesPerCall, NodeClass.Unspecified, ct);
        ThrowIfBad(result.Status, $"Browse {node}");
        var all = new List<ReferenceDescription>(result.References);
        while (result.ContinuationPoint is { Length: > 0 } point)
        {
            result = await BrowseNextAsync(point, false, ct);
            ThrowIfBad(result.Status, $"BrowseNext {node}");
            all.AddRange(result.References);
        }

        return all;
    }

    public Task<IReadOnlyList<BrowsePathResult>> TranslateAsync(IReadOnlyList<(NodeId Start, IReadOnlyList<QualifiedName> Path)> paths, CancellationToken ct = default) =>
        RequestAsync(EncodingIds.TranslateBrowsePathsToNodeIdsRequest, w => ViewMessages.WriteTranslate(w, paths),
            EncodingIds.TranslateBrowsePathsToNodeIdsResponse, "TranslateBrowsePathsToNodeIds", ViewMessages.ReadTranslate, ct);

    /// <summary>The server's namespace table (Server.NamespaceArray, i=2255): a namespace URI's index is its position.</summary>
    public async Task<IReadOnlyList<string>> ReadNamespacesAsync(CancellationToken ct = default)
    {
        var value = (await ReadValuesAsync([WellKnownNodes.NamespaceArray], ct))[0];
        ThrowIfBad(value.Status, "Read NamespaceArray");
        return value.Value.Value is string?[] uris ? [.. uris.Select(u => u ?? "")] : throw new OpcUaProtocolException("NamespaceArray is not an array of strings.");
    }

    private static void ThrowIfBad(StatusCode status, string what)
    {
        if (status.IsBad)
        {
            throw new OpcUaProtocolException(status, what);
        }
    }
}
