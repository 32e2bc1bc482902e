namespace Millwright.Features.Series;

/// <summary>A page of raw points; <see cref="Next"/> is the "from" of the next page, null on the last.</summary>
internal sealed record PointsDto(string Tag, IReadOnlyList<PointDto> Points, DateTimeOffset? Next);
