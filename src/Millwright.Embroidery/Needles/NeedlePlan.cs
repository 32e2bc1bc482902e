using Millwright.Embroidery.Stitches;

namespace Millwright.Embroidery.Needles;

/// <summary>
/// A design's thread plan mapped onto a machine's needles: a step per colour block, and the needles' threads once
/// the piece is sewn (the rethreaded needles keep their new colour, so the next piece starts from there).
/// </summary>
public sealed record NeedlePlan(IReadOnlyList<NeedleStep> Steps, IReadOnlyList<ThreadColor?> NeedlesAfter)
{
    /// <summary>How often the operator threads a needle during the piece (the machine waits each time).</summary>
    public int Rethreads => Steps.Count(s => s.Rethread);
}
