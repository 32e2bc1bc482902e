namespace Millwright.Storage.TimeSeries;

/// <summary>The newest point of a series (by timestamp), kept in memory for the twin.</summary>
public readonly record struct LatestPoint(SeriesKey Series, SeriesKind Kind, long Timestamp, double Number, string? Text);
