namespace Millwright.Storage.TimeSeries;

/// <summary>
/// Where a series' chunks end: the newest chunked timestamp (long.MinValue for none) and its value, and how many
/// chunks the hour of that timestamp holds (-1 when unknown, as after open).
/// </summary>
internal readonly record struct ChunkMarks(long Max, double Last, int LastHourChunks)
{
    public static readonly ChunkMarks None = new(long.MinValue, 0, 0);

    public bool Any => Max != long.MinValue;

    public long LastHour => RollupMath.AlignDown(Max, RollupMath.Hour);
}
