namespace Millwright.Storage.TimeSeries;

/// <summary>How long a tenant's raw chunks, minute and hour rollups are kept; null keeps that level forever.</summary>
public sealed record RetentionPolicy(TimeSpan? Raw, TimeSpan? Minute, TimeSpan? Hour);
