namespace Millwright.Simulator.Models;

/// <summary>Builds a simulated machine of a kind; construction equipment needs the job site it works on.</summary>
internal static class MachineFactory
{
    public static SimulatedMachine Create(MachineKind kind, string name, int seed, TimeProvider time, double siteLatitude = 45.764, double siteLongitude = 4.8357) => kind switch
    {
        MachineKind.Cnc => new CncMachine(name, seed, time),
        MachineKind.InjectionMoulding => new InjectionMouldingMachine(name, seed, time),
        MachineKind.Embroidery => new EmbroideryMachine(name, seed, time),
        MachineKind.SandPrinter => new SandPrinter(name, seed, time),
        MachineKind.Cutter => new CuttingMachine(name, seed, time),
        MachineKind.Sewing => new SewingStation(name, seed, time),
        MachineKind.Finishing => new FinishingStation(name, seed, time),
        _ => new ConstructionMachine(name, seed, time, siteLatitude, siteLongitude),
    };
}
