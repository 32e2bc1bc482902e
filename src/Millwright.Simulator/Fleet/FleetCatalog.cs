using Millwright.Simulator.Models;

namespace Millwright.Simulator.Fleet;

/// <summary>
/// The machine type every simulated fleet machine reports as: the AEMP 2.0 elements under the tag names of
/// docs/fleet.md's mapping table, so the platform's ISO 15143-3 snapshot reads them without any setup.
/// </summary>
internal static class FleetCatalog
{
    public static readonly MachineTypeDefinition Type = new(MachineKind.Construction, "Simulated fleet machine",
        "Mobile construction equipment reporting AEMP 2.0 elements through its depot's telematics gateway", "fleet",
    [
        new("latitude", "deg", "float", Min: -90, Max: 90),
        new("longitude", "deg", "float", Min: -180, Max: 180),
        new("engine_hours", "h", "float", "counter", Min: 0),
        new("idle_hours", "h", "float", "counter", Min: 0),
        new("fuel_used", "l", "float", "counter", Min: 0),
        new("fuel_level", "%", "float", Min: 0, Max: 100),
        new("def_level", "%", "float", Min: 0, Max: 100),
        new("engine_running", null, "bool"),
        new("odometer", "km", "float", "counter", Min: 0),
        new("load_count", "count", "int", "counter", Min: 0),
        new("payload_total", "t", "float", "counter", Min: 0),
        new("load_factor", "%", "float", Min: 0, Max: 100),
        new("pto_hours", "h", "float", "counter", Min: 0),
        new("fault_code", null, "int", Min: 0, Max: 524_287),
        new("fault_fmi", null, "int", Min: 0, Max: 31),
        new("fault_severity", null, "int", Min: 0, Max: 3),
    ]);

    /// <summary>The gateway machines' type: a telematics back-end's connection for one depot; it reports nothing of its own.</summary>
    public static readonly MachineTypeDefinition Gateway = new(MachineKind.Construction, "Simulated depot gateway",
        "A depot's telematics gateway: one MQTT connection publishing for every machine of the depot (Sparkplug B devices)", "gw", []);

    /// <summary>Categories and makers of the simulated fleet, in the allocation's category names.</summary>
    public static readonly (string Category, string Maker, string Model)[] Models =
    [
        ("excavator", "Kestrel", "KX-210"),
        ("wheel_loader", "Kestrel", "WL-150"),
        ("mobile_crane", "Harrow", "MC-60"),
        ("concrete_pump", "Harrow", "CP-42"),
        ("dumper", "Brantley", "AD-30"),
    ];
}
