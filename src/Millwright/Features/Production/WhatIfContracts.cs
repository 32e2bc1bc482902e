namespace Millwright.Features.Production;

/// <summary>
/// A question about the plan (docs/production.md, What-if plans): what if these machines were removed, these rush
/// orders added, or these lines worked overtime? Any combination; at least one.
/// </summary>
internal sealed record WhatIfInput(IReadOnlyList<long>? RemoveMachines, IReadOnlyList<RushOrderInput?>? RushOrders, IReadOnlyList<OvertimeInput?>? Overtime);

/// <summary>An order that would come in now, released at once; priority 100 (the highest) unless given.</summary>
internal sealed record RushOrderInput(long? ItemId, long? SiteId, long? Quantity, DateTimeOffset? DueAt, int? Priority);

/// <summary>Extra working time for one line's machines, beyond the site's calendar.</summary>
internal sealed record OvertimeInput(long? LineId, DateTimeOffset? From, DateTimeOffset? To);

/// <summary>A plan in figures: weighted tardiness (priority × hours late), late orders, when the last job ends, and how busy the machines are until then.</summary>
internal sealed record PlanFigures(double WeightedTardinessHours, int LateOrders, DateTimeOffset? LastEnd, double MakespanHours, double Utilization, IReadOnlyList<MachineLoad> Machines);

/// <summary>One machine's planned work from now to the end of the later of the two plans.</summary>
internal sealed record MachineLoad(long MachineId, string Name, double BusyHours, double Utilization);

/// <summary>A waiting job the what-if would move: to another machine or by more than the shift tolerance.</summary>
internal sealed record WhatIfMove(long JobId, string Order, string Operation, long FromMachineId, long ToMachineId, double ShiftMinutes, string Why);

/// <summary>Where a rush order would land: its ETA and whether it is late, or why it cannot be planned.</summary>
internal sealed record RushOutcome(int Index, DateTimeOffset? Eta, bool Late, string? Problem);

/// <summary>
/// The what-if's answer side by side: the plan being followed (Current), the situation as it is re-planned now
/// without the changes (Replanned, solved like the scenario), and the scenario; what moves, where rush orders land.
/// </summary>
internal sealed record WhatIfDto(
    long Id, DateTimeOffset AskedAt, PlanFigures Current, PlanFigures Replanned, PlanFigures Scenario, int Moved, IReadOnlyList<WhatIfMove> Moves,
    IReadOnlyList<RushOutcome> RushOrders);

/// <summary>What applying a what-if did; Overtime lists the lines given overtime in their site's calendar.</summary>
internal sealed record WhatIfApplied(long Id, IReadOnlyList<long> CreatedOrders, int JobsPlaced, IReadOnlyList<long> StoppedMachines, IReadOnlyList<long> OvertimeLines);
