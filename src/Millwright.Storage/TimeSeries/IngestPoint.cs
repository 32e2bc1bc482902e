namespace Millwright.Storage.TimeSeries;

/// <summary>
/// One value to store. <see cref="Number"/> holds gauges, counters and booleans (0/1); <see cref="Text"/> holds
/// text. <see cref="WrapModulus"/> (counters only, 0 = none) is the value at which the counter wraps to zero,
/// e.g. 65536 for a 16-bit register; it is fixed by the first point that creates the series.
/// </summary>
public readonly record struct IngestPoint(SeriesKey Series, SeriesKind Kind, long Timestamp, double Number, string? Text = null, double WrapModulus = 0);
