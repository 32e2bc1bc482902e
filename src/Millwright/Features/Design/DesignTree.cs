namespace Millwright.Features.Design;

/// <summary>
/// A replicated product structure (EBOM tree plus per-node fields), merged as the move-operation tree CRDT of
/// Kleppmann, Mulligan, Gomes and Beresford ("A highly-available move operation for replicated trees", 2021):
/// every replica applies the same operations in stamp order, whatever order they arrived in; a move that would make
/// a node its own ancestor (two concurrent moves that together form a cycle) is skipped, the same one on every
/// replica, and reported so that its author can be told. Fields are last-writer-wins registers by stamp.
/// An operation that arrives out of order is placed in the log and the state replayed from the first later one
/// (undo/redo in the paper), so the result never depends on delivery order. See docs/design-workspace.md.
/// </summary>
internal sealed class DesignTree
{
    public const string Root = "root";
    public const string Trash = "trash";

    private readonly List<DesignOp> _log = [];
    private readonly HashSet<OpStamp> _seen = [];
    private Dictionary<string, string> _parents = new(StringComparer.Ordinal);
    private Dictionary<(string Node, string Field), (OpStamp Stamp, string? Value)> _fields = [];
    private HashSet<OpStamp> _skipped = [];

    public long Clock { get; private set; }

    /// <summary>The parent of every node that exists (root and trash are implicit).</summary>
    public IReadOnlyDictionary<string, string> Parents => _parents;

    /// <summary>Operations that did not take effect because they would have made a cycle.</summary>
    public IReadOnlySet<OpStamp> Skipped => _skipped;

    public int Count => _log.Count;

    /// <summary>A new stamp for a local edit of replica <paramref name="replica"/>.</summary>
    public OpStamp Next(string replica) => new(++Clock, replica);

    /// <summary>Applies an operation (local or remote, once); false when it was skipped as a cycle.</summary>
    public bool Apply(DesignOp op)
    {
        if (!_seen.Add(op.Stamp))
        {
            return !_skipped.Contains(op.Stamp);
        }

        Clock = Math.Max(Clock, op.Stamp.Counter);
        if (_log.Count == 0 || _log[^1].Stamp < op.Stamp)
        {
            _log.Add(op);
            return Effect(op);
        }

        var at = _log.BinarySearch(op, StampOrder.Instance);
        _log.Insert(~at, op);
        Replay();
        return !_skipped.Contains(op.Stamp);
    }

    public string? FieldOf(string node, string field) => _fields.TryGetValue((node, field), out var v) ? v.Value : null;

    /// <summary>The visible fields of live nodes, for comparing replicas.</summary>
    public IEnumerable<KeyValuePair<(string Node, string Field), string?>> Fields =>
        _fields.Select(f => KeyValuePair.Create(f.Key, f.Value.Value));

    /// <summary>True when <paramref name="node"/> is <paramref name="ancestor"/> or below it.</summary>
    public bool IsUnder(string node, string ancestor)
    {
        var current = node;
        for (var steps = 0; steps <= _parents.Count + 1; steps++)
        {
            if (current == ancestor)
            {
                return true;
            }

            if (!_parents.TryGetValue(current, out var parent))
            {
                return false;
            }

            current = parent;
        }

        throw new InvalidOperationException("the tree has a cycle");
    }

    private void Replay()
    {
        _parents = new Dictionary<string, string>(StringComparer.Ordinal);
        _fields = [];
        _skipped = [];
        foreach (var op in _log)
        {
            Effect(op);
        }
    }

    private bool Effect(DesignOp op)
    {
        switch (op.Kind)
        {
            case DesignOpKind.Move:
                // Moving a node under itself or its own descendant would cut it and its subtree off the root.
                if (op.Node is Root or Trash || op.Parent is null || IsUnder(op.Parent, op.Node))
                {
                    _skipped.Add(op.Stamp);
                    return false;
                }

                _parents[op.Node] = op.Parent;
                return true;
            default:
                var key = (op.Node, op.Field ?? "");
                if (!_fields.TryGetValue(key, out var held) || held.Stamp < op.Stamp)
                {
                    _fields[key] = (op.Stamp, op.Value);
                }

                return true;
        }
    }

    private sealed class StampOrder : IComparer<DesignOp>
    {
        public static readonly StampOrder Instance = new();

        public int Compare(DesignOp? x, DesignOp? y) => x!.Stamp.CompareTo(y!.Stamp);
    }
}
