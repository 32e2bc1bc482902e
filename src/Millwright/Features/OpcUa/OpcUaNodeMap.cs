using Millwright.OpcUa;

namespace Millwright.Features.OpcUa;

/// <summary>
/// A machine's node map as one session sees it: node ids as written, browse paths resolved with
/// TranslateBrowsePathsToNodeIds (OPC 10000-4 5.8.4) each time a session starts, so a server that rebuilt its
/// address space (new numeric ids) is followed after the reconnect. An entry that cannot be monitored keeps its
/// reason, shown per entry on the machine.
/// </summary>
internal static class OpcUaNodeMap
{
    /// <summary>Paths per TranslateBrowsePathsToNodeIds call: servers limit operations per call (often to 1,000 or fewer).</summary>
    private const int TranslateBatch = 100;

    /// <summary>One map entry: the node it names in this session, or why it names none.</summary>
    public sealed record Entry(OpcUaNodeDto Node, NodeId? Resolved, string? Problem)
    {
        public OpcUaNodeStatusDto AsStatus() => new(Node.Tag, Resolved?.ToString(), Problem ?? "Good");
    }

    public static async Task<List<Entry>> ResolveAsync(OpcUaClient client, IReadOnlyList<OpcUaNodeDto> nodes, IReadOnlySet<NodeId> answerNodes, CancellationToken ct)
    {
        var entries = nodes.Select(n => n.NodeId is { } id ? new Entry(n, NodeId.Parse(id), null) : new Entry(n, null, null)).ToList();
        var paths = entries.Select((e, i) => (Entry: e, Index: i)).Where(p => p.Entry.Node.BrowsePath is not null).ToList();
        foreach (var batch in paths.Chunk(TranslateBatch))
        {
            IReadOnlyList<BrowsePathResult> results;
            try
            {
                results = await client.TranslateAsync([.. batch.Select(p => (BrowsePath.Start, BrowsePath.Parse(p.Entry.Node.BrowsePath!).Names))], ct);
            }
            catch (OpcUaProtocolException e) when (e.Status == StatusCode.BadServiceUnsupported || e.Status == StatusCode.BadTooManyOperations)
            {
                // The server cannot resolve paths: those entries say so, the node ids are still monitored.
                foreach (var (entry, index) in batch)
                {
                    entries[index] = entry with { Problem = e.Status.ToString() };
                }

                continue;
            }

            for (var i = 0; i < batch.Length; i++)
            {
                var (entry, index) = batch[i];
                entries[index] = i < results.Count ? Resolved(entry, results[i]) : entry with { Problem = "the server gave no result" };
            }
        }

        // Two entries on one node would make one value two tags; an answer node is the command channel, not telemetry.
        var taken = new Dictionary<NodeId, string>();
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i] is not { Resolved: { } node, Problem: null } entry)
            {
                continue;
            }

            if (answerNodes.Contains(node))
            {
                entries[i] = entry with { Problem = $"{node} is an answer node of the command map" };
            }
            else if (!taken.TryAdd(node, entry.Node.Tag))
            {
                entries[i] = entry with { Problem = $"{node} is already mapped to tag '{taken[node]}'" };
            }
        }

        return entries;
    }

    private static Entry Resolved(Entry entry, BrowsePathResult result)
    {
        if (result.Status.IsBad)
        {
            return entry with { Problem = result.Status.ToString() };
        }

        // A complete match has RemainingPathIndex uint.MaxValue; a partial one crosses to another server.
        var target = result.Targets.FirstOrDefault(t => t.RemainingPathIndex == uint.MaxValue).TargetId;
        return target switch
        {
            null => entry with { Problem = "BadNoMatch (the path leaves this server)" },
            { ServerIndex: not 0 } => entry with { Problem = "BadNoMatch (the path leads to another server)" },
            { NamespaceUri: not null } => entry with { Problem = $"BadNodeIdUnknown (the server named the node by namespace URI: {target})" },
            _ => entry with { Resolved = target.NodeId },
        };
    }
}
