using Millwright.Embroidery.Stitches;

namespace Millwright.Embroidery.Needles;

/// <summary>
/// One colour block of a design on a machine: the thread, the needle (from 1) that sews it, and whether the
/// operator must first thread that needle with it (the machine stops and waits).
/// </summary>
public sealed record NeedleStep(int Block, ThreadColor Thread, int Needle, bool Rethread);
