namespace Millwright.Storage.TimeSeries;

/// <summary>One point as the ingest log holds it: the series by id, text or number.</summary>
internal readonly record struct LogPoint(long SeriesId, long Timestamp, double Number, string? Text);
