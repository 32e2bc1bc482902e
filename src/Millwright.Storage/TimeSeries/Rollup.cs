namespace Millwright.Storage.TimeSeries;

/// <summary>The summary of the points of one aligned bucket, as the rollup tables and the raw path compute it.</summary>
internal readonly record struct Rollup(long Bucket, long Count, double Min, double Max, double Sum, double First, double Last, double? Increase)
{
    /// <summary>Joins this bucket's summary with one of points that all come later in time.</summary>
    public Rollup Then(Rollup later) => new(
        Bucket,
        Count + later.Count,
        Math.Min(Min, later.Min),
        Math.Max(Max, later.Max),
        Sum + later.Sum,
        First,
        later.Last,
        Increase is null && later.Increase is null ? null : (Increase ?? 0) + (later.Increase ?? 0));

    public AggregateBucket ToBucket() => new(Bucket, Count, Min, Max, Sum / Count, First, Last, Increase);
}
