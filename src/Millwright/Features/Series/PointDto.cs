namespace Millwright.Features.Series;

internal sealed record PointDto(DateTimeOffset Ts, object Value);
