using Millwright.Embroidery.Geometry;

namespace Millwright.Embroidery.Digitizing;

/// <summary>
/// Needle penetrations stitched one after the other without a jump, in millimetres (design space, Y down), for one
/// shape (<see cref="Shape"/> indexes the digitized shapes).
/// </summary>
public sealed record StitchBlock(BlockKind Kind, int Shape, IReadOnlyList<Vec> Points);
