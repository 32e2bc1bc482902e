namespace Millwright.Features.Telemetry;

internal sealed record LatestValueDto(string Tag, DateTimeOffset Ts, object? Value);
