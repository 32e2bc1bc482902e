namespace Millwright.Storage.TimeSeries;

/// <summary>
/// What the store keeps in memory per series. The head and the chunk marks change only under the store's head
/// lock (by the appender after a commit, or by a checkpoint); the batch scratch belongs to the appender alone.
/// </summary>
internal sealed class SeriesState(long id, SeriesKey key, SeriesKind kind, double wrapModulus)
{
    public long Id { get; set; } = id;

    public SeriesKey Key { get; } = key;

    public SeriesKind Kind { get; } = kind;

    public double WrapModulus { get; } = wrapModulus;

    /// <summary>Points acknowledged (in ts_log) but not yet in chunks.</summary>
    public PointBuffer Head { get; } = new(kind == SeriesKind.Text);

    /// <summary>Where the chunks end; a checkpoint replaces it only after its commit.</summary>
    public ChunkMarks Marks { get; set; } = ChunkMarks.None;

    public LatestPoint? Latest { get; set; }

    /// <summary>The ts_log row of the head's oldest point; long.MaxValue while the head is empty.</summary>
    public long HeadFirstLog { get; set; } = long.MaxValue;

    /// <summary>This series' place in the store's list of series with a head (null while the head is empty).</summary>
    public LinkedListNode<SeriesState>? DirtyNode { get; set; }

    /// <summary>The hour this series waits in the store's index of hours to compact (null when it waits in none).</summary>
    public long? UnfinishedHour { get; set; }

    /// <summary>ts_log rows up to this id hold no point of this series that its chunks lack: replay skips them.</summary>
    public long LogThrough { get; set; }

    /// <summary>The newest timestamp accepted in the current batch (appender scratch).</summary>
    public long BatchMax { get; set; } = long.MinValue;

    /// <summary>Timestamps accepted in the current batch, for points the batch repeats (appender scratch).</summary>
    public List<long> BatchTimes { get; } = [];

    public SeriesInfo Info => new(Key, Kind, WrapModulus);

    public long NewestKnown => Math.Max(Marks.Max, Head.Count > 0 ? Head.Last : long.MinValue);
}
