namespace Millwright.Features.Series;

internal sealed record SeriesDto(string Tag, string Kind, double? Wrap);
