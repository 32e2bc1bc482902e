namespace Millwright.Features.Telemetry;

/// <summary>How often a machine sent a value its type did not expect, and the latest example.</summary>
internal sealed record TelemetryFlagDto(string Tag, string Reason, long Count, DateTimeOffset FirstAt, DateTimeOffset LastAt, string LastValue);
