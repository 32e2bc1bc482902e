using Millwright.Simulator.Drivers;
using Millwright.Simulator.Models;

namespace Millwright.Simulator.Provisioning;

/// <summary>
/// Which machines a fleet of N has, decided by position alone so that the same N always gives the same
/// names (re-running provisions nothing new). Out of every 20: 3 Sparkplug and 2 Modbus machines, 1
/// excavator on the job site (telematics over MQTT JSON), the rest MQTT JSON; factory kinds take turns.
/// </summary>
internal static class FleetPlan
{
    public const string FactorySite = "Virtual factory";
    public const string JobSite = "Virtual job site";

    /// <summary>Machines per line, like a real cell or line of that kind.</summary>
    private const int LineSize = 20;

    private static readonly MachineKind[] FactoryKinds = [MachineKind.Cnc, MachineKind.InjectionMoulding, MachineKind.Embroidery, MachineKind.SandPrinter];

    public static IReadOnlyList<PlannedMachine> Create(int machines)
    {
        var plan = new List<PlannedMachine>(machines);
        var perKind = new Dictionary<MachineKind, int>();
        var factoryIndex = 0;
        for (var i = 0; i < machines; i++)
        {
            var slot = i % 20;
            var kind = slot == 5 ? MachineKind.Construction : FactoryKinds[factoryIndex++ % FactoryKinds.Length];
            var protocol = kind == MachineKind.Construction ? Protocol.MqttJson
                : slot is 1 or 8 or 15 ? Protocol.Sparkplug
                : slot is 4 or 11 ? Protocol.Modbus
                : Protocol.MqttJson;
            var number = perKind[kind] = perKind.GetValueOrDefault(kind) + 1;
            var definition = MachineCatalog.For(kind);
            var (site, area) = Placement(kind);
            plan.Add(new PlannedMachine($"{definition.NamePrefix}-{number:000}", kind, protocol, site, area, $"{area} line {((number - 1) / LineSize) + 1}"));
        }

        return plan;
    }

    private static (string Site, string Area) Placement(MachineKind kind) => kind switch
    {
        MachineKind.Cnc => (FactorySite, "Machining"),
        MachineKind.InjectionMoulding => (FactorySite, "Moulding"),
        MachineKind.Embroidery => (FactorySite, "Textiles"),
        MachineKind.SandPrinter => (FactorySite, "Foundry"),
        _ => (JobSite, "Earthworks"),
    };
}
