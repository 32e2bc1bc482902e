using Millwright.Api;

namespace Millwright.Features.Energy;

/// <summary>Which meter measures a machine: a meter machine (default: the machine itself), its counter tag and that counter's unit (kWh, Wh or MWh).</summary>
internal sealed record EnergyMeterInput(long? MeterMachineId, string? CounterTag, string? Unit);

internal sealed record EnergyMeterDto(long MachineId, long MeterMachineId, string CounterTag, string Unit, DateTimeOffset UpdatedAt);

/// <summary>At most one of Machine, Line or Site (none: every machine of the tenant); [From, To) defaults to the last 24 hours, at most 31 days.</summary>
internal sealed record EnergyQuery(long? Machine, long? Line, long? Site, ZonedTime? From, ZonedTime? To);

/// <summary>
/// Energy of one machine or a sum of machines over a range, in kWh. Productive: minutes that start while running;
/// standby: while idle, in a planned stop or offline; unattributed: minutes outside any known state. The peak is the
/// highest 15-minute average demand in kW (for a sum, of the machines together, as a utility bills it).
/// </summary>
internal sealed record EnergyFigures(
    double Kwh, double ProductiveKwh, double StandbyKwh, double SetupKwh, double DownKwh, double UnattributedKwh,
    double? PeakDemandKw, DateTimeOffset? PeakAt, double GoodUnits, double? KwhPerGoodUnit, double? EnergyUtilization);

/// <summary>One machine's figures and where they come from (no meter: zero figures and null meter fields).</summary>
internal sealed record MachineEnergyDto(long MachineId, string Name, long? MeterMachineId, string? CounterTag, EnergyFigures Figures);

/// <summary>The average demand of one aligned 15-minute interval in kW.</summary>
internal sealed record DemandDto(DateTimeOffset From, double Kw);

internal sealed record EnergyReportDto(
    string Scope, long? Id, DateTimeOffset From, DateTimeOffset To, EnergyFigures Total, IReadOnlyList<MachineEnergyDto> Machines, IReadOnlyList<DemandDto> Demand);

internal sealed class EnergyMeterRow
{
    public long MachineId { get; set; }
    public long MeterMachineId { get; set; }
    public string CounterTag { get; set; } = "";
    public string Unit { get; set; } = "";
    public long UpdatedAt { get; set; }

    public EnergyMeterDto AsDto() => new(MachineId, MeterMachineId, CounterTag, Unit, DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAt));
}
