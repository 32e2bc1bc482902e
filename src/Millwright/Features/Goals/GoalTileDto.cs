namespace Millwright.Features.Goals;

/// <summary>
/// One KPI of the board (formulas in docs/kpis.md): its value over the baseline and the current period (null:
/// nothing to measure), the change in percent of the baseline (null unless both exist and the baseline is not
/// zero), whether that change is an improvement, and its value per bucket over both periods.
/// </summary>
internal sealed record GoalTileDto(string Key, string Name, string Unit, bool UpIsGood, double? Baseline, double? Current,
    double? ChangePercent, bool? Improved, IReadOnlyList<GoalPointDto> Sparkline);
