namespace Millwright.Storage.TimeSeries;

/// <summary>One column of a chart: the lowest and highest value of the bucket that starts at <see cref="Timestamp"/>.</summary>
public readonly record struct ChartPoint(long Timestamp, double Min, double Max);
