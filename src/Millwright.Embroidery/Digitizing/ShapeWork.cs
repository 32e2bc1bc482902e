using Millwright.Embroidery.Stitches;
using SkiaSharp;

namespace Millwright.Embroidery.Digitizing;

/// <summary>
/// The stitches for one fill or one stroke of a design shape, in stitching order (underlay first). Region is the
/// area the shape covers (the fill, or what the stroke covers), in millimetres: the checks hold stitches to it.
/// </summary>
public sealed record ShapeWork(string Name, ThreadColor Color, SKPath Region, SKRect Bounds, IReadOnlyList<StitchBlock> Blocks);
