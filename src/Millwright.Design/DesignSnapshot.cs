namespace Millwright.Design;

/// <summary>
/// A design's state at its floor (the settled operations, which no replica will ever undo) and the operations after
/// it in stamp order: a joining or resyncing client rebuilds an exact replica from it (<see cref="DesignTree.FromSnapshot"/>).
/// </summary>
internal sealed record DesignSnapshot(
    OpStamp Floor,
    long Clock,
    IReadOnlyDictionary<string, string> Parents,
    IReadOnlyDictionary<string, Dictionary<string, string?>> Fields,
    IReadOnlyList<DesignOp> Tail);
