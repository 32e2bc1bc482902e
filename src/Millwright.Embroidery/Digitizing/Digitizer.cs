using Millwright.Embroidery.Design;
using Millwright.Embroidery.Geometry;
using SkiaSharp;

namespace Millwright.Embroidery.Digitizing;

/// <summary>
/// Turns a design's shapes into stitch blocks. Fills: a satin column when the shape is a column no wider than
/// <see cref="DigitizeOptions.SatinMaxWidth"/>, else tatami; both over underlay. Strokes: running stitch, triple run
/// or satin by width; wider than a satin, the stroke's area is filled. The order, travel, trims, locks and stitch
/// length limits are the <see cref="StitchPlanner"/>'s.
/// </summary>
public static class Digitizer
{
    public static List<ShapeWork> Digitize(EmbroideryDesign design, DigitizeOptions options)
    {
        ArgumentNullException.ThrowIfNull(design);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var works = new List<ShapeWork>();
        foreach (var shape in design.Shapes)
        {
            if (shape.Fill is { } fill)
            {
                var region = Regions.Simplified(shape.Outline);
                var blocks = FillBlocks(region, works.Count, options);
                if (blocks.Count > 0)
                {
                    works.Add(new ShapeWork(shape.Name + " fill", fill, region, region.TightBounds, blocks));
                }
            }

            if (shape.Stroke is { } stroke)
            {
                if (SatinStroke(shape.Outline, shape.StrokeWidthMm, works.Count, options) is var (mitred, satin))
                {
                    works.Add(new ShapeWork(shape.Name + " stroke", stroke, mitred, mitred.TightBounds, satin));
                    continue;
                }

                var region = Regions.Stroke(shape.Outline, shape.StrokeWidthMm);
                var blocks = StrokeBlocks(shape.Outline, region, shape.StrokeWidthMm, works.Count, options);
                if (blocks.Count > 0)
                {
                    works.Add(new ShapeWork(shape.Name + " stroke", stroke, region, region.TightBounds, blocks));
                }
            }
        }

        return works;
    }

    private static List<StitchBlock> FillBlocks(SKPath region, int index, DigitizeOptions o)
    {
        var rings = Regions.Rings(region);
        var blocks = new List<StitchBlock>();
        if (rings.Count == 0)
        {
            return blocks;
        }

        // A bent column (an arc, an L) is stitched along its bend even when straight rows would fit across it.
        var bent = CurvedColumn.Bent(rings);
        if (bent && CurvedColumn.Find(region, rings, o.SatinMaxWidth) is { } curved)
        {
            return RailBlocks(curved, region, index, o);
        }

        if (Satin.Column(rings, o.SatinSpacing, o.SatinMaxWidth) is var (angle, rows))
        {
            var step = Math.Abs(rows[1].Y - rows[0].Y);
            blocks.Add(new StitchBlock(BlockKind.Underlay, index, Satin.CenterRun(angle, rows, Math.Max(1, (int)Math.Round(o.RunStitchLength / step)))));
            if (o.FillUnderlay)
            {
                var zig = Satin.ZigzagUnderlay(angle, rows, o.UnderlayInset, Math.Max(1, (int)Math.Round(o.UnderlaySpacing / step)));
                if (zig.Count >= 2)
                {
                    blocks.Add(new StitchBlock(BlockKind.Underlay, index, zig));
                }
            }

            blocks.Add(new StitchBlock(BlockKind.Satin, index, Satin.Top(angle, rows, o.PullCompensation)));
            return blocks;
        }

        if (!bent && CurvedColumn.Find(region, rings, o.SatinMaxWidth) is { } column)
        {
            return RailBlocks(column, region, index, o);
        }

        using var inset = Regions.Inset(region, o.UnderlayInset);
        var insetRings = Regions.Rings(inset);
        if (o.EdgeRunUnderlay)
        {
            blocks.AddRange(insetRings.Select(r => new StitchBlock(BlockKind.Underlay, index, Resample.Run(r, closed: true, o.RunStitchLength))));
        }

        if (o.FillUnderlay && insetRings.Count > 0)
        {
            blocks.AddRange(Tatami.Fill(insetRings, o.FillAngle + 90, o.UnderlaySpacing, o.FillStitchLength, 1, 0, o.MinStitchLength)
                .Where(c => c.Count >= 2).Select(c => new StitchBlock(BlockKind.Underlay, index, c)));
        }

        blocks.AddRange(Tatami.Fill(rings, o.FillAngle, o.FillSpacing, o.FillStitchLength, o.FillStagger, o.PullCompensation, o.MinStitchLength)
            .Where(c => c.Count >= 2).Select(c => new StitchBlock(BlockKind.Fill, index, c)));
        return blocks;
    }

    private static List<StitchBlock> StrokeBlocks(SKPath outline, SKPath region, double width, int index, DigitizeOptions o)
    {
        if (width > o.SatinMaxWidth)
        {
            return FillBlocks(region, index, o);
        }

        var blocks = new List<StitchBlock>();
        foreach (var line in Contours.Flatten(outline))
        {
            if (width >= o.SatinMinStrokeWidth)
            {
                var spacing = Satin.Spacing(o.SatinSpacing, width);
                blocks.Add(new StitchBlock(BlockKind.Underlay, index, Resample.Run(line.Points, line.Closed, o.RunStitchLength)));
                var top = Satin.AlongLine(line.Points, line.Closed, width / 2 + o.PullCompensation, spacing);
                blocks.Add(new StitchBlock(BlockKind.Satin, index, Reversed(top, line.Closed)));
            }
            else
            {
                var run = Resample.Run(line.Points, line.Closed, o.RunStitchLength);
                blocks.Add(width >= o.TripleRunMinWidth
                    ? new StitchBlock(BlockKind.TripleRun, index, Resample.Triple(run))
                    : new StitchBlock(BlockKind.Running, index, run));
            }
        }

        return blocks;
    }

    // A stroke between the satin's minimum and maximum width: a column between rails offset from each centre line
    // with mitred corners, held to the stroke's area drawn with the same joins. Null when a rail does not stay
    // inside (segments shorter than a corner's mitre): the stroke is then stitched as before, with round corners.
    private static (SKPath Region, List<StitchBlock> Blocks)? SatinStroke(SKPath outline, double width, int index, DigitizeOptions o)
    {
        if (width < o.SatinMinStrokeWidth || width > o.SatinMaxWidth)
        {
            return null;
        }

        var region = Regions.Stroke(outline, width, SKStrokeJoin.Miter, StrokeRails.MiterLimit);
        using var edge = Regions.Outset(region, 0.02);
        using var grown = Regions.Outset(region, o.PullCompensation + 0.03);
        var blocks = new List<StitchBlock>();
        foreach (var line in Contours.Flatten(outline))
        {
            var (left, right) = StrokeRails.Offset(line.Points, line.Closed, width / 2);
            if (left.Count < 2 || right.Count < 2)
            {
                continue;
            }

            var rungs = SatinRails.Zip(left, right, line.Closed);
            // No width limit: a mitre's or a hairpin's fan is longer than the stroke is wide; staying inside is what
            // counts. The rails lie on the region's edge, so their points are held to it grown by a hair.
            if (!SatinRails.Fits(rungs, double.MaxValue, Inside) || !rungs.All(r => Near(r.A) && Near(r.B)))
            {
                region.Dispose();
                return null;
            }

            blocks.Add(new StitchBlock(BlockKind.Underlay, index, Resample.Run(line.Points, line.Closed, o.RunStitchLength)));
            var top = SatinRails.Top(SatinRails.Spaced(rungs, o.SatinSpacing), o.SatinSpacing, o.PullCompensation, p => grown.Contains((float)p.X, (float)p.Y));
            blocks.Add(new StitchBlock(BlockKind.Satin, index, line.Closed ? top : Reversed(top, closed: false)));
        }

        if (blocks.Count == 0)
        {
            region.Dispose();
            return null;
        }

        return (region, blocks);

        bool Inside(Vec p) => region.Contains((float)p.X, (float)p.Y);
        bool Near(Vec p) => edge.Contains((float)p.X, (float)p.Y);
    }

    // A curved column: centre run, zig-zag under it, then the top.
    private static List<StitchBlock> RailBlocks(List<(Vec A, Vec B)> rungs, SKPath region, int index, DigitizeOptions o)
    {
        using var grown = Regions.Outset(region, o.PullCompensation + 0.03);
        var blocks = new List<StitchBlock> { new(BlockKind.Underlay, index, SatinRails.CenterRun(rungs, o.RunStitchLength)) };

        if (o.FillUnderlay)
        {
            var zig = SatinRails.ZigzagUnderlay(rungs, o.UnderlayInset, o.UnderlaySpacing);
            if (zig.Count >= 2)
            {
                blocks.Add(new StitchBlock(BlockKind.Underlay, index, zig));
            }
        }

        blocks.Add(new StitchBlock(BlockKind.Satin, index, SatinRails.Top(SatinRails.Spaced(rungs, o.SatinSpacing), o.SatinSpacing, o.PullCompensation,
            p => grown.Contains((float)p.X, (float)p.Y))));
        return blocks;
    }

    // The centre run underlay ends where an open line ends; the satin comes back over it from there.
    private static List<Vec> Reversed(List<Vec> top, bool closed)
    {
        if (closed)
        {
            return top;
        }

        top.Reverse();
        return top;
    }
}
