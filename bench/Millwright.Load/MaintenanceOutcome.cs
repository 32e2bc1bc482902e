using Millwright.Features.Kpis;

namespace Millwright.Bench;

/// <summary>What one policy gave over the simulated days, summed over the fleet (hours are production hours).</summary>
internal sealed record MaintenanceOutcome(
    MaintenancePolicy Policy,
    int WearBreakdowns,
    int Stoppages,
    double WearDownHours,
    double StoppageDownHours,
    int MaintenanceStops,
    int StopsInShift,
    int RenewalsAtRepairs,
    double MaintenanceHoursInShift,
    double ProductionHours,
    long Units,
    OrderFigures? Orders = null,
    KpiValues? Kpis = null,
    KpiInputs? KpiInputs = null)
{
    public double UnplannedDownHours => WearDownHours + StoppageDownHours;

    /// <summary>Share of production time the fleet was neither down nor stopped for maintenance.</summary>
    public double Availability => ProductionHours <= 0 ? 0 : 1 - ((UnplannedDownHours + MaintenanceHoursInShift) / ProductionHours);
}
