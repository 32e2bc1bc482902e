namespace Millwright.Storage.TimeSeries;

/// <summary>What one retention pass deleted.</summary>
public sealed record RetentionResult(long Chunks, long MinuteRollups, long HourRollups);
