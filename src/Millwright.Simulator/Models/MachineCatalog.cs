namespace Millwright.Simulator.Models;

/// <summary>
/// The machine types the simulator provisions, one per kind. Ranges are the physical limits of a typical
/// machine of the kind, so the platform can flag a value outside them; units come from the platform's list.
/// </summary>
internal static class MachineCatalog
{
    public static readonly MachineTypeDefinition Cnc = new(MachineKind.Cnc, "Simulated CNC machining centre",
        "5-axis machining centre of the virtual factory", "cnc",
    [
        new("spindle_speed", "rpm", "float", Min: 0, Max: 24000),
        new("spindle_load", "%", "float", Min: 0, Max: 100),
        new("vibration", "mm/s", "float", Min: 0, Max: 50),
        new("spindle_temperature", "°C", "float", Min: 0, Max: 120),
        new("power", "kW", "float", Min: 0, Max: 40),
        new("energy", "kWh", "float", "counter", Min: 0),
        new("part_count", "parts", "int", "counter", Min: 0),
        new("scrap_count", "parts", "int", "counter", Min: 0),
        new("program", null, "string"),
        new("alarm_code", null, "int", Min: 0, Max: 9999),
    ]);

    public static readonly MachineTypeDefinition InjectionMoulding = new(MachineKind.InjectionMoulding, "Simulated injection moulding machine",
        "Hydraulic injection moulding machine, 250 t clamp force", "imm",
    [
        new("cycle_time", "s", "float", Min: 0, Max: 120),
        new("melt_temperature", "°C", "float", Min: 0, Max: 350),
        new("injection_pressure", "bar", "float", Min: 0, Max: 2500),
        new("shot_count", "count", "int", "counter", Min: 0),
        new("scrap_count", "parts", "int", "counter", Min: 0),
        new("power", "kW", "float", Min: 0, Max: 150),
        new("energy", "kWh", "float", "counter", Min: 0),
        new("alarm_code", null, "int", Min: 0, Max: 9999),
    ]);

    public static readonly MachineTypeDefinition Embroidery = new(MachineKind.Embroidery, "Simulated embroidery machine",
        "Multi-needle embroidery machine", "emb",
    [
        new("stitch_count", "stitches", "int", "counter", Min: 0),
        new("thread_breaks", "count", "int", "counter", Min: 0),
        new("colour_changes", "count", "int", "counter", Min: 0),
        new("design_count", "count", "int", "counter", Min: 0),
        new("scrap_count", "count", "int", "counter", Min: 0),
        new("speed", "rpm", "float", Min: 0, Max: 1500),
        new("running", null, "bool"),
        new("alarm_code", null, "int", Min: 0, Max: 9999),
        // Progress in the design a job sent: stitches of the current piece, the needle in use, where it is (mm).
        new("design_stitch", "stitches", "int", Min: 0),
        new("needle", null, "int", Min: 0, Max: 999),
        new("needle_x", "mm", "float"),
        new("needle_y", "mm", "float"),
    ]);

    public static readonly MachineTypeDefinition SandPrinter = new(MachineKind.SandPrinter, "Simulated sand 3D printer",
        "Binder-jetting sand printer for casting moulds and cores", "sp3d",
    [
        new("layer_count", "count", "int", "counter", Min: 0),
        new("build_count", "count", "int", "counter", Min: 0),
        new("scrap_count", "count", "int", "counter", Min: 0),
        new("build_progress", "%", "float", Min: 0, Max: 100),
        new("print_head_temperature", "°C", "float", Min: 0, Max: 80),
        new("binder_level", "%", "float", Min: 0, Max: 100),
        new("clogged_nozzles", "%", "float", Min: 0, Max: 100),
        new("power", "kW", "float", Min: 0, Max: 30),
        new("energy", "kWh", "float", "counter", Min: 0),
        new("program", null, "string"),
        new("alarm_code", null, "int", Min: 0, Max: 9999),
    ]);

    public static readonly MachineTypeDefinition Construction = new(MachineKind.Construction, "Simulated excavator",
        "Tracked excavator on a job site", "exc",
    [
        new("latitude", "deg", "float", Min: -90, Max: 90),
        new("longitude", "deg", "float", Min: -180, Max: 180),
        new("engine_hours", "h", "float", "counter", Min: 0),
        new("fuel_level", "%", "float", Min: 0, Max: 100),
        new("fault_code", null, "int", Min: 0, Max: 9999),
        new("hydraulic_pressure", "bar", "float", Min: 0, Max: 400),
        new("speed", "km/h", "float", Min: 0, Max: 40),
        new("engine_running", null, "bool"),
    ]);

    // The tailoring cell (made-to-measure, docs/made-to-measure.md): cutter, sewing stations, finishing.
    public static readonly MachineTypeDefinition Cutter = new(MachineKind.Cutter, "Simulated single-ply cutter",
        "Automatic single-ply fabric cutter", "cut",
    [
        new("cut_length", "m", "float", "counter", Min: 0),
        new("pieces_cut", "count", "int", "counter", Min: 0),
        new("garment_count", "count", "int", "counter", Min: 0),
        new("scrap_count", "count", "int", "counter", Min: 0),
        new("knife_speed", "mm/s", "float", Min: 0, Max: 100_000),
        new("marker_progress", "%", "float", Min: 0, Max: 100),
        new("running", null, "bool"),
        new("alarm_code", null, "int", Min: 0, Max: 9999),
    ]);

    public static readonly MachineTypeDefinition Sewing = new(MachineKind.Sewing, "Simulated sewing station",
        "Industrial lockstitch sewing station", "sew",
    [
        new("seam_length", "m", "float", "counter", Min: 0),
        new("garment_count", "count", "int", "counter", Min: 0),
        new("scrap_count", "count", "int", "counter", Min: 0),
        new("sewing_speed", "mm/s", "float", Min: 0, Max: 100_000),
        new("garment_progress", "%", "float", Min: 0, Max: 100),
        new("running", null, "bool"),
        new("alarm_code", null, "int", Min: 0, Max: 9999),
    ]);

    public static readonly MachineTypeDefinition Finishing = new(MachineKind.Finishing, "Simulated finishing station",
        "Buttons, pressing and inspection", "fin",
    [
        new("garment_count", "count", "int", "counter", Min: 0),
        new("scrap_count", "count", "int", "counter", Min: 0),
        new("press_temperature", "°C", "float", Min: 0, Max: 250),
        new("running", null, "bool"),
        new("alarm_code", null, "int", Min: 0, Max: 9999),
    ]);

    public static IReadOnlyList<MachineTypeDefinition> All { get; } = [Cnc, InjectionMoulding, Embroidery, SandPrinter, Construction, Cutter, Sewing, Finishing];

    public static MachineTypeDefinition For(MachineKind kind) => All.Single(d => d.Kind == kind);
}
