using Millwright.Simulator.Drivers;
using Millwright.Simulator.Models;

namespace Millwright.Simulator.Provisioning;

/// <summary>
/// Which machines a fleet of N has, decided by position alone so that the same N always gives the same
/// names (re-running provisions nothing new). Out of every 20: 3 Sparkplug, 2 Modbus and 1 OPC UA machines, 1
/// excavator on the job site (telematics over MQTT JSON), the rest MQTT JSON; factory kinds take turns.
/// </summary>
internal static class FleetPlan
{
    public const string FactorySite = "Virtual factory";
    public const string JobSite = "Virtual job site";
    public const string TailoringArea = "Tailoring";

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
                : slot == 18 ? Protocol.OpcUa
                : Protocol.MqttJson;
            var number = perKind[kind] = perKind.GetValueOrDefault(kind) + 1;
            var definition = MachineCatalog.For(kind);
            var (site, area) = Placement(kind);
            plan.Add(new PlannedMachine($"{definition.NamePrefix}-{number:000}", kind, protocol, site, area, $"{area} line {((number - 1) / LineSize) + 1}"));
        }

        return plan;
    }

    /// <summary>
    /// The tailoring cell of the virtual factory (made-to-measure, docs/made-to-measure.md): one cutter, the sewing
    /// stations asked for and one finishing station, MQTT JSON machines on one line of the area Tailoring.
    /// </summary>
    public static IReadOnlyList<PlannedMachine> TailoringCell(int sewingStations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sewingStations, 1);
        var line = $"{TailoringArea} line 1";
        return
        [
            new($"{MachineCatalog.Cutter.NamePrefix}-001", MachineKind.Cutter, Protocol.MqttJson, FactorySite, TailoringArea, line),
            .. Enumerable.Range(1, sewingStations).Select(i =>
                new PlannedMachine($"{MachineCatalog.Sewing.NamePrefix}-{i:000}", MachineKind.Sewing, Protocol.MqttJson, FactorySite, TailoringArea, line)),
            new($"{MachineCatalog.Finishing.NamePrefix}-001", MachineKind.Finishing, Protocol.MqttJson, FactorySite, TailoringArea, line),
        ];
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
