using Millwright.OpcUa;

namespace Millwright.Cli;

/// <summary>
/// Prints a browse tree, one node a line, indented by depth: node id, browse name, node class, and for variables the
/// data type and value (read in one request per node's children). Progress goes to the error stream on big trees.
/// </summary>
internal sealed class OpcUaTreePrinter(OpcUaClient client, TextWriter output, TextWriter progress)
{
    private const int ProgressEvery = 200;

    private readonly HashSet<NodeId> _seen = [];
    private int _printed;

    public async Task PrintAsync(NodeId root, int depth, CancellationToken ct)
    {
        var self = await client.ReadAsync([(root, AttributeId.BrowseName), (root, AttributeId.NodeClass)], ct);
        var name = self[0].Value.Value as QualifiedName;
        var nodeClass = self[1].Value.Value is int c ? (NodeClass)c : NodeClass.Unspecified;
        if (self[0].Status.IsBad)
        {
            throw new OpcUaProtocolException(self[0].Status, $"node {root}");
        }

        await output.WriteLineAsync($"{root}  {name}  {nodeClass}");
        _seen.Add(root);
        await ChildrenAsync(root, 1, depth, ct);
        if (_printed >= ProgressEvery)
        {
            await progress.WriteLineAsync($"browsed {_printed} nodes");
        }
    }

    private async Task ChildrenAsync(NodeId parent, int level, int depth, CancellationToken ct)
    {
        if (level > depth)
        {
            return;
        }

        var references = await client.BrowseAllAsync(parent, 0, ct);
        var local = references.Where(r => r.NodeId.ServerIndex == 0).ToList();
        var variables = local.Where(r => r.NodeClass == NodeClass.Variable).Select(r => r.NodeId.NodeId).ToList();
        var details = new Dictionary<NodeId, (DataValue Type, DataValue Value)>();
        if (variables.Count > 0)
        {
            var read = await client.ReadAsync([.. variables.SelectMany(v => new[] { (v, AttributeId.DataType), (v, AttributeId.Value) })], ct);
            for (var i = 0; i < variables.Count; i++)
            {
                details[variables[i]] = (read[2 * i], read[(2 * i) + 1]);
            }
        }

        foreach (var reference in local)
        {
            var id = reference.NodeId.NodeId;
            var line = $"{new string(' ', level * 2)}{id}  {reference.BrowseName}  {reference.NodeClass}";
            if (details.TryGetValue(id, out var d))
            {
                line += $"  {TypeName(d.Type)}  = {d.Value.Value} ({d.Value.Status})";
            }

            await output.WriteLineAsync(line);
            if (++_printed % ProgressEvery == 0)
            {
                await progress.WriteLineAsync($"browsed {_printed} nodes…");
            }

            // A node reachable twice (organised in two folders) is printed but not descended into again.
            if (_seen.Add(id))
            {
                await ChildrenAsync(id, level + 1, depth, ct);
            }
        }
    }

    /// <summary>Namespace-0 ids 1..25 are the built-in types; other data types print as their node id.</summary>
    private static string TypeName(DataValue type) => type.Value.Value is NodeId { NamespaceIndex: 0, Type: NodeIdType.Numeric, Numeric: >= 1 and <= 25 } id
        ? ((BuiltInType)id.Numeric).ToString()
        : type.Value.Value?.ToString() ?? "?";
}
