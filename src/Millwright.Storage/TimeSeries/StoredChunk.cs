namespace Millwright.Storage.TimeSeries;

/// <summary>One ts_chunks row to write.</summary>
internal readonly record struct StoredChunk(long Start, long End, int Count, byte[] Body);
