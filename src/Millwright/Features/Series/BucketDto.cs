namespace Millwright.Features.Series;

internal sealed record BucketDto(DateTimeOffset Start, long Count, double Min, double Max, double Avg, double First, double Last, double? Increase);
