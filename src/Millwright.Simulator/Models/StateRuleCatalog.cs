namespace Millwright.Simulator.Models;

/// <summary>
/// How the platform can tell each simulated kind's state from its tags (PUT /api/v1/machine-types/{id}/state-rules),
/// read off the models' physics: what a running, set-up, idle or broken-down machine of the kind reports. Rules
/// are tried in order; the first that holds gives the state, else idle.
/// </summary>
internal static class StateRuleCatalog
{
    public static object For(MachineKind kind) => kind switch
    {
        // Running spindles turn at 4,000 rpm and more; a set-up spindle at about 500 now and then.
        MachineKind.Cnc => Rules(["down if alarm_code != 0", "running if spindle_speed > 2000"], "alarm_code",
            parts: PartsCounterOf(MachineKind.Cnc), scrap: "scrap_count", energy: "energy", program: "program", idealCycle: 45),

        // Running draws 40-85 kW, idle about 15, a mould change about 10.
        MachineKind.InjectionMoulding => Rules(["down if alarm_code != 0", "running if power > 25", "setup if power < 12.5 and power > 5"], "alarm_code",
            parts: PartsCounterOf(MachineKind.InjectionMoulding), scrap: "scrap_count", energy: "energy", idealCycle: 20),
        // Its stock designs take 90 s and more, the demo's cap logo 90 s: 75 s is a design at full speed.
        MachineKind.Embroidery => Rules(["down if alarm_code != 0", "running if running"], "alarm_code", parts: PartsCounterOf(MachineKind.Embroidery), scrap: "scrap_count",
            idealCycle: 75),

        // Printing draws about 18 kW, a job change 3, idle 1.5.
        // A stock job box is its layers at the fastest layer; a job's box (the platform's program) about two minutes.
        MachineKind.SandPrinter => Rules(["down if alarm_code != 0", "running if power > 10", "setup if power > 2.5"], "alarm_code",
            parts: PartsCounterOf(MachineKind.SandPrinter), scrap: "scrap_count", energy: "energy", program: "program", idealCycle: 120,
            idealByProgram: SandPrinter.StockBuilds.ToDictionary(b => b.Key, b => (double)(b.Value * SandPrinter.FastestLayerSeconds))),
        // The tailoring cell reports whether it is working; a made-to-measure garment's time comes from its lengths.
        MachineKind.Cutter or MachineKind.Sewing or MachineKind.Finishing => Rules(["down if alarm_code != 0", "running if running"], "alarm_code",
            parts: PartsCounterOf(kind), scrap: "scrap_count"),
        _ => Rules(["down if fault_code != 0", "running if speed > 0.5"], "fault_code"),
    };

    /// <summary>The counter of units (good and scrapped) a kind makes; null for a kind that makes none.</summary>
    public static string? PartsCounterOf(MachineKind kind) => kind switch
    {
        MachineKind.Cnc => "part_count",
        MachineKind.InjectionMoulding => "shot_count",
        MachineKind.Embroidery => "design_count",
        MachineKind.SandPrinter => "build_count",
        MachineKind.Cutter or MachineKind.Sewing or MachineKind.Finishing => "garment_count",
        _ => null,
    };

    private static object Rules(string[] rules, string alarmTag, string? parts = null, string? scrap = null, string? energy = null, string? program = null,
        double? idealCycle = null, IReadOnlyDictionary<string, double>? idealByProgram = null) => new
    {
        rules = rules.Select(r => r.Split(" if ", 2)).Select(r => new { state = r[0], when = r[1] }).ToList(),
        alarmTag,
        partCounter = parts,
        scrapCounter = scrap,
        energyCounter = energy,
        programTag = program,
        idealCycleSeconds = idealCycle,
        idealCycleByProgram = idealByProgram,
    };
}
