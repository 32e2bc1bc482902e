namespace Millwright.Storage.TimeSeries;

/// <summary>Bytes that are not an ingest log batch: the one exception the log decoder throws.</summary>
public sealed class IngestLogFormatException(string message) : Exception(message);
