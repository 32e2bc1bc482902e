namespace Millwright.Storage.TimeSeries;

/// <summary>Bytes that are not a chunk of a known version: the one exception the chunk decoder throws.</summary>
public sealed class ChunkFormatException(string message) : Exception(message);
