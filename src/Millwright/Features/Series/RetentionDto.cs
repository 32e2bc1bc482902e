namespace Millwright.Features.Series;

/// <summary>How many days each level of a tenant's telemetry is kept; null keeps that level forever.</summary>
internal sealed record RetentionDto(double? RawDays, double? MinuteDays, double? HourDays);
