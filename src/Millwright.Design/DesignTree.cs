namespace Millwright.Design;

/// <summary>
/// A replicated product structure (EBOM tree plus per-node fields), merged as the move-operation tree CRDT of
/// Kleppmann, Mulligan, Gomes and Beresford ("A highly-available move operation for replicated trees", 2021):
/// every replica applies the same operations in stamp order, whatever order they arrived in; a move that would make
/// a node its own ancestor (two concurrent moves that together form a cycle) is skipped, the same one on every
/// replica, and reported so that its author can be told. Fields are last-writer-wins registers by stamp.
/// An operation that arrives out of order is put in its place in the log: the later operations are undone (each
/// entry remembers what it replaced), the late one applied and the later ones redone, so the cost is the number of
/// later operations, not the whole log, and the result never depends on delivery order. See docs/design-workspace.md.
/// </summary>
internal sealed class DesignTree
{
    public const string Root = "root";
    public const string Trash = "trash";

    private readonly List<Entry> _log = [];
    private readonly HashSet<OpStamp> _seen = [];
    private readonly Dictionary<string, string> _parents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, Register>> _fields = new(StringComparer.Ordinal);
    private readonly HashSet<OpStamp> _skipped = [];

    public long Clock { get; private set; }

    /// <summary>The parent of every node that exists (root and trash are implicit).</summary>
    public IReadOnlyDictionary<string, string> Parents => _parents;

    /// <summary>Operations that did not take effect because they would have made a cycle.</summary>
    public IReadOnlySet<OpStamp> Skipped => _skipped;

    public int Count => _log.Count;

    /// <summary>Operations at or before this stamp are settled: dropped from the log and never undone, so a later one is stale.</summary>
    public OpStamp Floor { get; private set; }

    /// <summary>An operation too old to be placed: at or before the floor, and not one already applied.</summary>
    public bool IsStale(OpStamp stamp) => stamp <= Floor && !_seen.Contains(stamp);

    /// <summary>The stamp of the last operation in the log (zero when empty).</summary>
    public OpStamp Last => _log.Count == 0 ? default : _log[^1].Op.Stamp;

    /// <summary>Moves the clock past <paramref name="counter"/> without applying anything (a replica that only stamps).</summary>
    public void Witness(long counter) => Clock = Math.Max(Clock, counter);

    /// <summary>A new stamp for a local edit of replica <paramref name="replica"/>.</summary>
    public OpStamp Next(string replica) => new(++Clock, replica);

    public bool Contains(string node) => node is Root or Trash || _parents.ContainsKey(node);

    public bool Knows(OpStamp stamp) => _seen.Contains(stamp);

    /// <summary>The operation with <paramref name="stamp"/> while it is still in the log (after the floor).</summary>
    public DesignOp? Find(OpStamp stamp)
    {
        var at = Position(stamp);
        return at < _log.Count && _log[at].Op.Stamp == stamp ? _log[at].Op : null;
    }

    /// <summary>The stamp of the operation at <paramref name="index"/> of the log (stamp order).</summary>
    public OpStamp StampAt(int index) => _log[index].Op.Stamp;

    /// <summary>How many operations of the log are ordered after <paramref name="stamp"/>: what applying it late would undo and redo.</summary>
    public int LaterThan(OpStamp stamp) => _log.Count - Position(stamp);

    /// <summary>Applies an operation (local or remote, once); false when it was skipped as a cycle.</summary>
    public bool Apply(DesignOp op) => Apply(op, null);

    /// <summary>
    /// Applies <paramref name="op"/>; adds to <paramref name="newlySkipped"/> every operation that is skipped now and
    /// was not before (the late one itself, or a later move that the late one turned into a cycle).
    /// </summary>
    public bool Apply(DesignOp op, ICollection<OpStamp>? newlySkipped)
    {
        if (!_seen.Add(op.Stamp))
        {
            return !_skipped.Contains(op.Stamp);
        }

        if (op.Stamp <= Floor)
        {
            _seen.Remove(op.Stamp);
            throw new InvalidOperationException($"operation {op.Stamp} is at or before the floor {Floor}");
        }

        Clock = Math.Max(Clock, op.Stamp.Counter);
        var at = Position(op.Stamp);
        var wasSkipped = newlySkipped is null ? null : new HashSet<OpStamp>();
        for (var i = _log.Count - 1; i >= at; i--)
        {
            if (_skipped.Contains(_log[i].Op.Stamp))
            {
                wasSkipped?.Add(_log[i].Op.Stamp);
            }

            Undo(_log[i]);
        }

        _log.Insert(at, new Entry(op));
        for (var i = at; i < _log.Count; i++)
        {
            _log[i] = Effect(_log[i].Op);
            if (newlySkipped is not null && _skipped.Contains(_log[i].Op.Stamp) && !wasSkipped!.Contains(_log[i].Op.Stamp))
            {
                newlySkipped.Add(_log[i].Op.Stamp);
            }
        }

        return !_skipped.Contains(op.Stamp);
    }

    /// <summary>True when the set <paramref name="op"/> would become its field's value: no write of the field is stamped after it.</summary>
    public bool WouldWin(DesignOp op) =>
        !(_fields.TryGetValue(op.Node, out var fields) && fields.TryGetValue(op.Field ?? "", out var held) && held.Stamp >= op.Stamp);

    public string? FieldOf(string node, string field) =>
        _fields.TryGetValue(node, out var fields) && fields.TryGetValue(field, out var v) ? v.Value : null;

    /// <summary>The fields of one node, by name.</summary>
    public IEnumerable<KeyValuePair<string, string?>> FieldsOf(string node) =>
        _fields.TryGetValue(node, out var fields) ? fields.Select(f => KeyValuePair.Create(f.Key, f.Value.Value)) : [];

    /// <summary>The visible fields of live nodes, for comparing replicas.</summary>
    public IEnumerable<KeyValuePair<(string Node, string Field), string?>> Fields =>
        _fields.SelectMany(n => n.Value.Select(f => KeyValuePair.Create((n.Key, f.Key), f.Value.Value)));

    /// <summary>The operations in stamp order.</summary>
    public IEnumerable<DesignOp> Log => _log.Select(e => e.Op);

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

    /// <summary>The nodes from the top (root or trash) down to <paramref name="node"/>, for messages that must name where something is.</summary>
    public List<string> PathOf(string node)
    {
        var path = new List<string> { node };
        var current = node;
        while (_parents.TryGetValue(current, out var parent) && path.Count <= _parents.Count + 1)
        {
            path.Add(parent);
            current = parent;
        }

        path.Reverse();
        return path;
    }

    /// <summary>Settles every operation up to <paramref name="floor"/>: they leave the log and can no longer be undone.</summary>
    public void Settle(OpStamp floor)
    {
        if (floor <= Floor)
        {
            return;
        }

        Floor = floor;
        var settled = Position(floor);
        if (settled < _log.Count && _log[settled].Op.Stamp == floor)
        {
            settled++;
        }

        _log.RemoveRange(0, settled);
    }

    /// <summary>The state at the floor plus the operations after it: what a replica needs to go on merging exactly as this one.</summary>
    public DesignSnapshot Snapshot()
    {
        for (var i = _log.Count - 1; i >= 0; i--)
        {
            Undo(_log[i]);
        }

        var parents = new Dictionary<string, string>(_parents, StringComparer.Ordinal);
        var fields = _fields.ToDictionary(n => n.Key, n => n.Value.ToDictionary(f => f.Key, f => f.Value.Value, StringComparer.Ordinal), StringComparer.Ordinal);
        for (var i = 0; i < _log.Count; i++)
        {
            _log[i] = Effect(_log[i].Op);
        }

        return new DesignSnapshot(Floor, Clock, parents, fields, _log.Select(e => e.Op).ToList());
    }

    /// <summary>A replica that starts from <paramref name="snapshot"/>.</summary>
    public static DesignTree FromSnapshot(DesignSnapshot snapshot)
    {
        var tree = new DesignTree { Floor = snapshot.Floor, Clock = Math.Max(snapshot.Clock, snapshot.Floor.Counter) };
        foreach (var (node, parent) in snapshot.Parents)
        {
            tree._parents[node] = parent;
        }

        foreach (var (node, fields) in snapshot.Fields)
        {
            tree._fields[node] = fields.ToDictionary(f => f.Key, f => new Register(snapshot.Floor, f.Value), StringComparer.Ordinal);
        }

        foreach (var op in snapshot.Tail)
        {
            tree.Apply(op);
        }

        return tree;
    }

    private int Position(OpStamp stamp)
    {
        int low = 0, high = _log.Count;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (_log[middle].Op.Stamp < stamp)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private Entry Effect(DesignOp op)
    {
        if (op.Kind == DesignOpKind.Move)
        {
            // Moving a node under itself or its own descendant would cut it and its subtree off the root.
            if (op.Node is Root or Trash || op.Parent is null || IsUnder(op.Parent, op.Node))
            {
                _skipped.Add(op.Stamp);
                return new Entry(op);
            }

            var had = _parents.TryGetValue(op.Node, out var old);
            _parents[op.Node] = op.Parent;
            return new Entry(op, Applied: true, OldParent: had ? old : null);
        }

        if (!_fields.TryGetValue(op.Node, out var fields))
        {
            fields = new Dictionary<string, Register>(StringComparer.Ordinal);
            _fields[op.Node] = fields;
        }

        var field = op.Field ?? "";
        var held = fields.TryGetValue(field, out var register) ? register : (Register?)null;
        if (held is { } h && h.Stamp >= op.Stamp)
        {
            return new Entry(op);
        }

        fields[field] = new Register(op.Stamp, op.Value);
        return new Entry(op, Applied: true, OldField: held);
    }

    private void Undo(Entry entry)
    {
        var op = entry.Op;
        if (!entry.Applied)
        {
            _skipped.Remove(op.Stamp);
            return;
        }

        if (op.Kind == DesignOpKind.Move)
        {
            if (entry.OldParent is null)
            {
                _parents.Remove(op.Node);
            }
            else
            {
                _parents[op.Node] = entry.OldParent;
            }

            return;
        }

        var fields = _fields[op.Node];
        if (entry.OldField is { } old)
        {
            fields[op.Field ?? ""] = old;
        }
        else
        {
            fields.Remove(op.Field ?? "");
            if (fields.Count == 0)
            {
                _fields.Remove(op.Node);
            }
        }
    }

    private readonly record struct Register(OpStamp Stamp, string? Value);

    /// <summary>One logged operation and what its effect replaced, so that it can be undone.</summary>
    private readonly record struct Entry(DesignOp Op, bool Applied = false, string? OldParent = null, Register? OldField = null);
}
