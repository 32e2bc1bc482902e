namespace Millwright.Features.Fleet;

/// <summary>A span of one state on a machine's timeline: working, idle, off or no_data.</summary>
internal sealed record UtilizationSpanDto(DateTimeOffset From, DateTimeOffset To, string State);

/// <summary>
/// Hours working, idle, off and without reports in the range; fuel used (litres) and per working hour; the idle
/// ratio (idle / (working + idle)). Ratios are null when their divisor is 0.
/// </summary>
internal sealed record UtilizationFiguresDto(double WorkingHours, double IdleHours, double OffHours, double NoDataHours, double FuelUsed, double? FuelPerWorkingHour, double? IdleRatio);

internal sealed record MachineUtilizationDto(long MachineId, string EquipmentId, UtilizationFiguresDto Figures, IReadOnlyList<UtilizationSpanDto>? Timeline);

/// <summary>The time fleet machines spent inside a job site or depot, by where each stood at the start of each reported interval.</summary>
internal sealed record SiteUtilizationDto(long GeofenceId, string Name, int Machines, UtilizationFiguresDto Figures);

internal sealed record FleetUtilizationDto(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<MachineUtilizationDto> Machines, IReadOnlyList<SiteUtilizationDto> Sites);
