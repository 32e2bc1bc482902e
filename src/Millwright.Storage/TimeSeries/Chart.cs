namespace Millwright.Storage.TimeSeries;

/// <summary>A chart of a series: one column per aligned bucket of <see cref="BucketMs"/> that holds points.</summary>
public sealed record Chart(long BucketMs, IReadOnlyList<ChartPoint> Points);
