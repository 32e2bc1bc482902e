namespace Millwright.Features.History;

/// <summary>One back-filled span of a tenant's data (times in Unix ms).</summary>
internal sealed record HistoryBackfill(long Id, string Source, long FromAt, long ToAt, long Messages, long Points);
