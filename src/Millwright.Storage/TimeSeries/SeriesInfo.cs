namespace Millwright.Storage.TimeSeries;

/// <summary>A stored series and how its values are interpreted.</summary>
public sealed record SeriesInfo(SeriesKey Key, SeriesKind Kind, double WrapModulus);
