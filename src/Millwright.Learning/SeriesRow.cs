namespace Millwright.Learning;

/// <summary>One row of a <c>timestamp,value</c> file; the timestamp's text is kept so output can copy it verbatim.</summary>
public readonly record struct SeriesRow(string TimestampText, long TimestampMs, double Value);
