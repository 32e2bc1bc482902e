namespace Millwright.Storage.TimeSeries;

/// <summary>One stored point; <see cref="Text"/> is set for text series, <see cref="Number"/> otherwise.</summary>
public readonly record struct TimePoint(long Timestamp, double Number, string? Text);
