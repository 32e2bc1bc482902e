namespace Millwright.Features.Goals;

/// <summary>
/// The board: the two periods compared, the stored history they defaulted from (null when there is none), the
/// sparklines' bucket length, one tile per KPI and the recorded policy changes inside the range.
/// </summary>
internal sealed record GoalBoardDto(GoalSpanDto Baseline, GoalSpanDto Current, GoalSpanDto? History, long BucketSeconds,
    IReadOnlyList<GoalTileDto> Kpis, IReadOnlyList<PolicyChangeDto> PolicyChanges);
