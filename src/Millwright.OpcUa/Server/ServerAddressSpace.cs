using System.Collections.Concurrent;

namespace Millwright.OpcUa.Server;

/// <summary>
/// The nodes a small server offers: variables whose values its owner sets (any thread) and methods it answers.
/// Flat on purpose: the virtual factory's machines need Read, monitored items and Call, not a browsable model.
/// </summary>
internal sealed class ServerAddressSpace
{
    private readonly ConcurrentDictionary<NodeId, DataValue> _values = new();
    private readonly ConcurrentDictionary<(NodeId Object, NodeId Method), Func<IReadOnlyList<Variant>, MethodOutcome>> _methods = new();

    /// <summary>Adds or changes a variable's value (stamped now with a Good status).</summary>
    public void Set(NodeId node, Variant value, DateTime? at = null)
    {
        var now = at ?? DateTime.UtcNow;
        _values[node] = new DataValue(value, StatusCode.Good, now, now);
    }

    public DataValue? Get(NodeId node) => _values.TryGetValue(node, out var value) ? value : null;

    public bool IsVariable(NodeId node) => _values.ContainsKey(node);

    /// <summary>A method of an object; <paramref name="handler"/> runs on the connection's thread and must not block.</summary>
    public void AddMethod(NodeId objectId, NodeId methodId, Func<IReadOnlyList<Variant>, MethodOutcome> handler) => _methods[(objectId, methodId)] = handler;

    public MethodOutcome Call(NodeId objectId, NodeId methodId, IReadOnlyList<Variant> inputs) =>
        _methods.TryGetValue((objectId, methodId), out var handler) ? handler(inputs) : new MethodOutcome(StatusCode.BadMethodInvalid, []);
}
