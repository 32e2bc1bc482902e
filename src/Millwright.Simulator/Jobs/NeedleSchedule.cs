namespace Millwright.Simulator.Jobs;

/// <summary>
/// The platform's thread plan for a design on this machine (<c>.../stitch-files/{sha256}/needles</c>): per colour
/// block, the needle that sews it and whether the operator threads it first, for the first piece and for every
/// further piece (the first piece's threading stays on the needles).
/// </summary>
internal sealed record NeedleSchedule(IReadOnlyList<NeedleChange> First, IReadOnlyList<NeedleChange> Repeat)
{
    public IReadOnlyList<NeedleChange> Of(long piece) => piece == 0 ? First : Repeat;
}
