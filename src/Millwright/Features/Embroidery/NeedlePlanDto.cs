using Millwright.Embroidery.Needles;

namespace Millwright.Features.Embroidery;

/// <summary>A colour block on the machine: its thread, the needle that sews it (from 1), and whether the operator threads it first.</summary>
internal sealed record NeedleStepDto(int Block, string Thread, int Needle, bool Rethread);

/// <summary>One piece: its steps, how often the machine waits for the operator, its time, and the needles' threads after it.</summary>
internal sealed record PiecePlanDto(IReadOnlyList<NeedleStepDto> Steps, int Rethreads, double Seconds, IReadOnlyList<string?> NeedlesAfter)
{
    public static PiecePlanDto Of(NeedlePlan plan, double seconds) => new(
        [.. plan.Steps.Select(s => new NeedleStepDto(s.Block, s.Thread.Hex, s.Needle, s.Rethread))], plan.Rethreads, Math.Round(seconds, 1),
        [.. plan.NeedlesAfter.Select(n => n?.Hex)]);
}

/// <summary>
/// A design's thread plan on one machine (<see cref="DesignOnMachine"/>): the set-up it was mapped onto
/// (<see cref="SetUp"/> false: assumed, nobody recorded one), the first piece and every further piece.
/// </summary>
internal sealed record NeedlePlanDto(
    long DesignId,
    long MachineId,
    bool SetUp,
    int StitchesPerMinute,
    double TrimSeconds,
    double ColourChangeSeconds,
    double RethreadSeconds,
    IReadOnlyList<string?> Needles,
    PiecePlanDto First,
    PiecePlanDto Repeat,
    int Heads)
{
    public static NeedlePlanDto Of(DesignRow design, DesignOnMachine on) => new(
        design.Id, on.Setup.MachineId, on.Setup.Recorded, on.Setup.StitchesPerMinute, on.Setup.TrimSeconds, on.Setup.ColourChangeSeconds,
        on.Setup.RethreadSeconds, on.Setup.Needles, PiecePlanDto.Of(on.First, on.FirstSeconds), PiecePlanDto.Of(on.Repeat, on.RepeatSeconds), on.Setup.Heads);
}
