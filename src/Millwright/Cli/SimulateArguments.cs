using Millwright.Simulator.Drivers;
using Millwright.Simulator.Jobs;

namespace Millwright.Cli;

/// <summary>
/// The parsed options of <c>millwright simulate</c>; <see cref="Jobs"/> is null unless <c>--take-jobs</c>.
/// <see cref="SewingStations"/> above 0 adds the tailoring cell (<c>--tailoring-cell</c>): a cutter, that many sewing
/// stations and a finishing station, beside the <see cref="Machines"/>.
/// </summary>
internal sealed record SimulateArguments(int Machines, BrokerAddress Broker, Uri Api, string Key, TimeSpan Interval, int Seed, int ModbusBasePort, JobMode? Jobs = null,
    int SewingStations = 0)
{
    /// <summary>Every machine the factory provisions: the fleet of <see cref="Machines"/>, then the tailoring cell if asked for.</summary>
    public IReadOnlyList<Simulator.Provisioning.PlannedMachine> Plan() => SewingStations > 0
        ? [.. Simulator.Provisioning.FleetPlan.Create(Machines), .. Simulator.Provisioning.FleetPlan.TailoringCell(SewingStations)]
        : Simulator.Provisioning.FleetPlan.Create(Machines);
}
