using Millwright.Simulator.Drivers;
using Millwright.Simulator.Models;
using Millwright.Simulator.Provisioning;

namespace Millwright.Cli;

/// <summary>
/// What the demo's virtual factory makes: a capability per job-taking kind of machine, the raw materials it
/// keeps in stock and the products it sells. Setup and unit times follow the simulator's own cycles (a CNC part
/// in about a minute, a moulding shot in 20 s, a design in a minute and a half) so that an order of a few units
/// is done in minutes; the sand printer's job box, hours in reality, is cut to a few minutes for the same reason.
/// Setups are shorter than the simulator's own (minutes): at the demo's MTBF of 15 minutes the planner often
/// moves a job off a broken machine, and each move costs a new setup.
/// </summary>
internal static class DemoCatalog
{
    public static readonly IReadOnlyList<DemoMaterial> Materials =
    [
        new("ALU-6082", "Aluminium bar 6082, 60 mm", "kg", 4.2, 500),
        new("PA66-GF30", "PA66 GF30 pellets", "kg", 3.1, 400),
        new("CAP-BLANK", "Baseball cap blank, navy", "count", 2.5, 300),
        new("SAND-FURAN", "Silica sand with furan binder", "kg", 0.3, 6000),
    ];

    public static readonly IReadOnlyList<DemoProduct> Products =
    [
        new("BRK-5AX", "Milled aluminium bracket", 38, 2, 5,
            [new("10", "Mill", "5-axis-milling", 60, 60, "O4711", "ALU-6082", 0.8)]),
        new("HSG-PA66", "Moulded PA66 housing", 6.5, 5, 12,
            [new("10", "Mould", "injection-moulding", 45, 20, "M-HSG-2", "PA66-GF30", 0.15)]),
        new("CAP-LOGO", "Cap with a customer's embroidered logo", 14, 2, 4,
            [new("10", "Embroider", "embroidery-12-needle", 30, 90, "D-LOGO-12", "CAP-BLANK", 1)]),
        new("CORE-SP", "Printed sand core", 55, 1, 2,
            [new("10", "Print", "sand-3d-printing", 60, 180, "B-CORE-7", "SAND-FURAN", 40)]),
        new("PUMP-HSG", "Pump housing, sand-cast and machined", 240, 1, 2,
        [
            new("10", "Print mould", "sand-3d-printing", 60, 150, "B-PUMP-1", "SAND-FURAN", 60),
            new("20", "Machine casting", "5-axis-milling", 60, 60, "O5200", null, 0),
        ]),
    ];

    /// <summary>
    /// The made-to-measure product, made on the tailoring cell (cut, sew, finish) when the factory has one: its orders
    /// are placed as made-to-measure orders (docs/made-to-measure.md), which time the cutting and sewing jobs from the
    /// garment's own lengths; the unit times here are what a standard order of it would take.
    /// </summary>
    public static readonly DemoProduct MadeToMeasure = new("MTM-GARMENT", "Made-to-measure garment", 95, 1, 1,
    [
        new("10", "Cut", "cutting", 30, 120, "marker", null, 0),
        new("20", "Sew", "sewing", 0, 900, "garment", null, 0),
        new("30", "Finish", "finishing", 0, 180, "press", null, 0),
    ]);

    /// <summary>The demo's made-to-measure customers: what each gives (ANSUR II names, mm; weight in tenths of a kg) and orders.</summary>
    public static readonly IReadOnlyList<DemoTailoredCustomer> TailoredCustomers =
    [
        new("J. Moreau", "male", "jacket", new() { ["stature"] = 1780, ["weightkg"] = 820, ["chestcircumference"] = 1040, ["waistcircumference"] = 930 }),
        new("A. Lindqvist", "female", "skirt", new() { ["stature"] = 1650, ["weightkg"] = 620, ["chestcircumference"] = 900, ["waistcircumference"] = 790, ["buttockcircumference"] = 990 }),
        new("K. Osei", "male", "trousers", new() { ["stature"] = 1860, ["weightkg"] = 900, ["chestcircumference"] = 1060, ["waistcircumference"] = 950 }),
        new("M. Rossi", "female", "trousers", new() { ["stature"] = 1600, ["weightkg"] = 580, ["chestcircumference"] = 880, ["waistcircumference"] = 760, ["buttockcircumference"] = 960 }),
    ];

    /// <summary>
    /// The capability a machine of the virtual factory offers, or null when it takes no jobs: machines of every
    /// protocol take them (VirtualFactory: MQTT cmd topic, Sparkplug B NCMD, a Modbus job block), but an excavator
    /// makes no units.
    /// </summary>
    public static string? CapabilityOf(PlannedMachine machine) => machine.Kind switch
    {
        MachineKind.Cnc => "5-axis-milling",
        MachineKind.InjectionMoulding => "injection-moulding",
        MachineKind.Embroidery => "embroidery-12-needle",
        MachineKind.SandPrinter => "sand-3d-printing",
        MachineKind.Cutter => "cutting",
        MachineKind.Sewing => "sewing",
        MachineKind.Finishing => "finishing",
        _ => null,
    };
}

/// <summary>A raw material, and the lot in which it is received when stock runs low.</summary>
internal sealed record DemoMaterial(string Sku, string Name, string Unit, double UnitCost, double Lot);

/// <summary>A product and the order quantities the demo's feed asks for.</summary>
internal sealed record DemoProduct(string Sku, string Name, double UnitCost, int MinQuantity, int MaxQuantity, IReadOnlyList<DemoStep> Steps);

/// <summary>A made-to-measure customer of the demo: name, sex, the measurements given and the garment ordered.</summary>
internal sealed record DemoTailoredCustomer(string Name, string Sex, string Garment, Dictionary<string, double> Measurements);

/// <summary>One operation of a product's routing; <paramref name="Material"/> (a SKU) is consumed <paramref name="PerUnit"/> per unit made.</summary>
internal sealed record DemoStep(string Id, string Name, string Capability, double SetupSeconds, double UnitSeconds, string Program, string? Material, double PerUnit);
