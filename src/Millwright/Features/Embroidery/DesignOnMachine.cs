using Millwright.Embroidery.Needles;
using Millwright.Embroidery.Stitches;

namespace Millwright.Features.Embroidery;

/// <summary>
/// A design on one machine: its thread plan mapped onto the machine's needles for the first piece (from the
/// needles as set up) and for every further piece (from the needles as the first piece left them), and what a
/// piece takes there: the stitches at the machine's speed, its trims and colour changes, and the operator
/// threading a needle at each rethread (the machine waits).
/// </summary>
internal sealed record DesignOnMachine(MachineSetup Setup, NeedlePlan First, NeedlePlan Repeat, double FirstSeconds, double RepeatSeconds)
{
    public static DesignOnMachine Of(DesignRow design, MachineSetup setup)
    {
        var threads = design.ThreadList.Select(ThreadColor.Parse).ToList();
        var first = NeedleMapper.Map(threads, setup.NeedleColours);
        var repeat = NeedleMapper.Map(threads, first.NeedlesAfter);
        return new DesignOnMachine(setup, first, repeat, Seconds(design, setup, first.Rethreads), Seconds(design, setup, repeat.Rethreads));
    }

    /// <summary>One piece: stitches at the machine's speed, plus its trims, colour changes and the operator's threading.</summary>
    public static double Seconds(DesignRow design, MachineSetup m, int rethreads) =>
        (design.Stitches * 60.0 / m.StitchesPerMinute) + (design.Trims * m.TrimSeconds) + (design.ColourChanges * m.ColourChangeSeconds) + (rethreads * m.RethreadSeconds);

    /// <summary>
    /// A job of <paramref name="pieces"/> pieces: the machine sews as many at once as it has heads, so the first run,
    /// then each further run of (pieces / heads, rounded up).
    /// </summary>
    public double JobSeconds(long pieces) => FirstSeconds + (Math.Max(0, Runs(pieces) - 1) * RepeatSeconds);

    public long Runs(long pieces) => (Math.Max(1, pieces) + Setup.Heads - 1) / Setup.Heads;
}
