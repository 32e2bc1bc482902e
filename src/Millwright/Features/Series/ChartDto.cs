namespace Millwright.Features.Series;

/// <summary>A chart: one column per bucket of <see cref="BucketMs"/> that holds points, each with its lowest and highest value.</summary>
internal sealed record ChartDto(long BucketMs, IReadOnlyList<ChartPointDto> Points);
