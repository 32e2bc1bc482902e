namespace Millwright.Features.Series;

internal sealed record ChartPointDto(DateTimeOffset Ts, double Min, double Max);
