using Millwright.Embroidery.Stitches;

namespace Millwright.Embroidery.Dst;

/// <summary>A DST file as read: its header fields and its pattern (with a default thread plan: DST has no colours).</summary>
public sealed record DstFile(DstHeader Header, StitchPattern Pattern);
