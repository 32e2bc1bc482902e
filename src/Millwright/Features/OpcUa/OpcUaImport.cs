using System.Text;
using Millwright.Api;
using Millwright.OpcUa;
using Millwright.Security;

namespace Millwright.Features.OpcUa;

/// <summary>
/// Browses a machine's configured OPC UA server from the Objects folder and proposes a node map: every scalar
/// variable with a Boolean or numeric data type, named by its browse path, with a tag derived from that path. Nothing
/// is stored: the answer is a body the user may edit and PUT.
/// </summary>
internal static class OpcUaImport
{
    public const int DefaultDepth = 6;
    public const int MaxDepth = 10;

    /// <summary>Nodes browsed at most, so that a server with a huge address space answers in bounded time.</summary>
    public const int MaxVisited = 5_000;

    /// <summary>Attribute reads per Read call.</summary>
    private const int ReadBatch = 200;

    public static async Task<OpcUaImportDto> ProposeAsync(OpcUaConnectionRow row, OpcUaImportInput? input, OpcUaClientOptions options, CancellationToken ct)
    {
        var depth = input?.Depth ?? DefaultDepth;
        var sampling = input?.SamplingIntervalMs ?? (int)row.PublishingMs;
        var v = new Validator();
        if (depth is < 1 or > MaxDepth)
        {
            v.Add("depth", $"between 1 and {MaxDepth}");
        }

        if (sampling is < 0 or > 3_600_000)
        {
            v.Add("samplingIntervalMs", "must be between 0 (as fast as the server samples) and one hour");
        }

        v.ThrowIfInvalid();
        await using var client = await ConnectAsync(row, options, ct);
        // The PUT body keeps the machine's command map, so putting it back changes only the node map.
        var commands = OpcUaConnections.CommandMap(row) is { } map ? AsInput(map) : null;
        return await ProposeAsync(client, new OpcUaConnectionInput(row.Endpoint, row.Security, (int)row.PublishingMs, [], row.SecurityMode, commands), depth, sampling, ct);
    }

    /// <summary>
    /// The proposal from a connected client (the REST import's and <c>millwright opcua import</c>'s): <paramref name="configured"/>
    /// with the node map of every Boolean and numeric scalar variable found within <paramref name="depth"/> levels below Objects.
    /// </summary>
    public static async Task<OpcUaImportDto> ProposeAsync(OpcUaClient client, OpcUaConnectionInput configured, int depth, int sampling, CancellationToken ct)
    {
        var (variables, truncated) = await BrowseAsync(client, depth, ct);
        var nodes = new List<OpcUaFoundVariableDto>();
        var tags = new HashSet<string>(StringComparer.Ordinal);
        foreach (var batch in variables.Chunk(ReadBatch / 2))
        {
            var attributes = await client.ReadAsync([.. batch.SelectMany(b => new[] { (b.Node, AttributeId.DataType), (b.Node, AttributeId.ValueRank) })], ct);
            for (var i = 0; i < batch.Length; i++)
            {
                var (dataType, rank) = (attributes[2 * i], attributes[(2 * i) + 1]);
                // A scalar (ValueRank -1) of a built-in Boolean or numeric type: what becomes one tag value.
                if (dataType.Value.Value is NodeId { NamespaceIndex: 0, Type: NodeIdType.Numeric, Numeric: >= 1 and <= 11 } type && rank.Value.Value is -1
                    && nodes.Count < OpcUaConnections.MaxNodes)
                {
                    nodes.Add(new OpcUaFoundVariableDto(Tag(batch[i].Path, tags), batch[i].Path.ToString(), ((BuiltInType)type.Numeric).ToString(), batch[i].Node.ToString()));
                }
            }
        }

        var connection = configured with { Nodes = [.. nodes.Select(n => new OpcUaNodeInput(null, n.Tag, sampling, 0, n.BrowsePath))] };
        return new OpcUaImportDto(connection, nodes, truncated || nodes.Count == OpcUaConnections.MaxNodes, variables.Count);
    }

    private static OpcUaCommandMapInput AsInput(OpcUaCommandMapDto map) => new(
        map.Methods.ToDictionary(m => m.Key, m => new OpcUaMethodInput(m.Value.ObjectId, m.Value.MethodId,
            [.. m.Value.Arguments.Select(a => new OpcUaArgumentInput(a.Member, a.DataType))], m.Value.Result)),
        map.TimeoutMs,
        map.Answer is { } answer ? new OpcUaAnswerInput(answer.StatusNode, answer.Statuses, [.. answer.Fields.Select(f => new OpcUaAnswerFieldInput(f.Member, f.NodeId))]) : null);

    private static async Task<OpcUaClient> ConnectAsync(OpcUaConnectionRow row, OpcUaClientOptions options, CancellationToken ct)
    {
        try
        {
            return await OpcUaClient.ConnectAsync(options, ct);
        }
        catch (Exception e) when (e is OpcUaProtocolException or IOException or System.Net.Sockets.SocketException or EgressDeniedException or TimeoutException
            || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            var why = e switch
            {
                OpcUaProtocolException p when OpcUaMachines.IsFraming(p.Status) => $"protocol error: the answer is not OPC UA binary (it broke the UA-TCP framing: {p.Status})",
                OperationCanceledException => "the server did not answer in time",
                _ => e.Message,
            };
            throw new ApiProblem(StatusCodes.Status502BadGateway, "OPC UA server not browsable", $"{row.Endpoint}: {why}");
        }
    }

    /// <summary>Breadth first over forward hierarchical references from Objects, skipping namespace 0 (the server's own nodes, not the machine's).</summary>
    private static async Task<(List<(NodeId Node, BrowsePath Path)> Variables, bool Truncated)> BrowseAsync(OpcUaClient client, int depth, CancellationToken ct)
    {
        var variables = new List<(NodeId, BrowsePath)>();
        var seen = new HashSet<NodeId> { WellKnownNodes.ObjectsFolder };
        var level = new List<(NodeId Node, BrowsePath Path)> { (WellKnownNodes.ObjectsFolder, new BrowsePath([new QualifiedName(0, "Objects")])) };
        for (var d = 0; d < depth && level.Count > 0; d++)
        {
            var next = new List<(NodeId, BrowsePath)>();
            foreach (var (node, path) in level)
            {
                foreach (var reference in await client.BrowseAllAsync(node, 1000, ct))
                {
                    var target = reference.NodeId;
                    if (target.ServerIndex != 0 || target.NamespaceUri is not null || target.NodeId.NamespaceIndex == 0 || !seen.Add(target.NodeId))
                    {
                        continue;
                    }

                    if (seen.Count > MaxVisited)
                    {
                        return (variables, true);
                    }

                    var child = new BrowsePath([.. path.Names, reference.BrowseName]);
                    if (reference.NodeClass == NodeClass.Variable)
                    {
                        variables.Add((target.NodeId, child));
                    }

                    if (reference.NodeClass is NodeClass.Object or NodeClass.Variable)
                    {
                        next.Add((target.NodeId, child));
                    }
                }
            }

            level = next;
        }

        return (variables, false);
    }

    /// <summary>The path below Objects joined with '.', made a valid tag name and unique in the map.</summary>
    private static string Tag(BrowsePath path, HashSet<string> taken)
    {
        var text = new StringBuilder();
        foreach (var name in path.Names.Skip(1))
        {
            text.Append(text.Length > 0 ? "." : "");
            foreach (var c in name.Name ?? "")
            {
                text.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_');
            }
        }

        var tag = text.Length > 0 && char.IsAsciiLetter(text[0]) ? text.ToString() : $"t{text}";
        // Long paths keep their end: the leaf's name says most.
        tag = tag.Length <= 64 ? tag : $"t{tag[^63..]}";
        var unique = tag;
        for (var n = 2; !taken.Add(unique); n++)
        {
            var suffix = $"-{n}";
            unique = (tag.Length + suffix.Length <= 64 ? tag : tag[..(64 - suffix.Length)]) + suffix;
        }

        return unique;
    }
}
