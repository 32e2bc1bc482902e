namespace Millwright.Storage.TimeSeries;

/// <summary>Settings of the time-series store; <see cref="Validate"/> runs when the store opens.</summary>
public sealed record TimeSeriesOptions
{
    /// <summary>An append that leaves more points than this in memory (and in the log) checkpoints them into chunks.</summary>
    public int CheckpointPoints { get; init; } = 1_000_000;

    /// <summary>
    /// Points one checkpoint transaction moves at most (whole series, oldest heads first). Appends wait for the
    /// writer lock while a slice runs, so this bounds how long a checkpoint can hold up acknowledgements.
    /// </summary>
    public int CheckpointSlicePoints { get; init; } = 100_000;

    /// <summary>
    /// Series one checkpoint transaction moves at most. A slice's time grows with its series (a chunk and rollup
    /// rows each) more than with its points: a fleet's 50,000 series of two points each held appends up 3-5 s
    /// within one 100,000-point slice on a loaded machine, against about 0.2 s for 2,000.
    /// </summary>
    public int CheckpointSliceSeries { get; init; } = 2_000;

    /// <summary>How far behind the clock a point may be and still land (and have its rollups recomputed).</summary>
    public TimeSpan LateWindow { get; init; } = TimeSpan.FromDays(1);

    /// <summary>How far ahead of the clock a point may be: a device with a wrong clock must not poison a series.</summary>
    public TimeSpan FutureTolerance { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Retention of tenants without their own policy.</summary>
    public RetentionPolicy DefaultRetention { get; init; } = new(TimeSpan.FromDays(30), TimeSpan.FromDays(365), null);

    public int MaxTagLength { get; init; } = 200;

    /// <summary>Series whose old rows one retention transaction deletes; small so that appends wait briefly.</summary>
    public int RetentionSeriesPerTransaction { get; init; } = 200;

    public void Validate()
    {
        var problems = new List<string>();
        if (CheckpointPoints is < 1 or > 100_000_000)
        {
            problems.Add("CheckpointPoints must be 1 to 100,000,000");
        }

        if (CheckpointSlicePoints is < 1 or > 100_000_000)
        {
            problems.Add("CheckpointSlicePoints must be 1 to 100,000,000");
        }

        if (CheckpointSliceSeries is < 1 or > 10_000_000)
        {
            problems.Add("CheckpointSliceSeries must be 1 to 10,000,000");
        }

        if (LateWindow < TimeSpan.Zero || LateWindow > TimeSpan.FromDays(30))
        {
            problems.Add("LateWindow must be 0 to 30 days");
        }

        if (FutureTolerance < TimeSpan.Zero || FutureTolerance > TimeSpan.FromDays(1))
        {
            problems.Add("FutureTolerance must be 0 to 1 day");
        }

        problems.AddRange(ProblemsOf(DefaultRetention, LateWindow));
        if (MaxTagLength is < 1 or > 10_000)
        {
            problems.Add("MaxTagLength must be 1 to 10,000");
        }

        if (RetentionSeriesPerTransaction < 1)
        {
            problems.Add("RetentionSeriesPerTransaction must be positive");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("invalid time-series options: " + string.Join("; ", problems));
        }
    }

    /// <summary>
    /// Raw data must outlive the late window, or a late point could land in an hour whose chunks retention has
    /// already dropped; a rollup level shorter than the raw level would leave long queries with a hole.
    /// </summary>
    internal static IEnumerable<string> ProblemsOf(RetentionPolicy policy, TimeSpan lateWindow)
    {
        if (policy.Raw is { } raw && raw < lateWindow + TimeSpan.FromHours(2))
        {
            yield return "raw retention must exceed the late window by at least two hours";
        }

        if (policy.Minute is { } minute && (minute <= TimeSpan.Zero || (policy.Raw is { } r && minute < r) || policy.Raw is null))
        {
            yield return "minute retention must be at least the raw retention";
        }

        if (policy.Hour is { } hour && (hour <= TimeSpan.Zero || policy.Minute is null || hour < policy.Minute))
        {
            yield return "hour retention must be at least the minute retention";
        }
    }
}
