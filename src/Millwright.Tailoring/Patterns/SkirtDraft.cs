using NetTopologySuite.Geometries;

namespace Millwright.Tailoring.Patterns;

/// <summary>
/// The women's straight skirt block: a whole front, a back cut as a left and a right (centre back seam for the
/// opening) and a waistband, drafted from ANSUR II measurements plus <see cref="SkirtStyle"/> ease after the
/// classic metric straight-skirt method (docs/made-to-measure.md, "Pattern blocks"): a rectangle of half the hip
/// girth by the skirt length, the hip line at the body's waist-to-hip depth, the side seam a quarter of the hip
/// from each centre (moved toward the back), and the difference between hip and waist taken in at the waist by
/// the side seam and by darts. The waist edge is a straight line from the centre to the side, which rises above
/// it; darts are V openings in it with legs of equal length, so the waist sews to the body's waist plus ease.
/// </summary>
public static class SkirtDraft
{
    /// <summary>The least depth of the hip line below the waist the draft uses: a body with less would get darts longer than its hip.</summary>
    public const double MinHipDepth = 100;

    public static Garment Draft(Measurements body, SkirtStyle? style = null)
    {
        style ??= new SkirtStyle();
        var hip = body["buttockcircumference"] + style.HipEase;
        var waist = body["waistcircumference"] + style.WaistEase;
        var hipDepth = Math.Max(body["waistheightomphalion"] - body["buttockheight"], MinHipDepth);
        var length = body["waistheightomphalion"] - body["kneeheightmidpatella"] + style.BelowKnee;
        if (length < hipDepth + 100)
        {
            throw new ArgumentException($"a skirt of {length:0} mm from waist to hem cannot reach {hipDepth + 100:0} mm below the waist (waistheightomphalion, kneeheightmidpatella)");
        }

        var (darts, gap) = Darts((hip - waist) / 4, style);
        var frontHalf = Half((hip / 4) + style.SideSeamShift, (waist / 4) + style.SideSeamShift, 0, hipDepth, length, darts, gap, Math.Min(90, hipDepth - 20), style);
        var backHalf = Half((hip / 4) - style.SideSeamShift, (waist / 4) - style.SideSeamShift, style.BackDrop, hipDepth, length, darts, gap, Math.Min(130, hipDepth - 20), style);

        // The front is cut whole: its right half, then the left half mirrored, walked back up to the centre.
        var frontWidth = (hip / 4) + style.SideSeamShift;
        var front = new OutlineBuilder();
        foreach (var (point, anchor) in frontHalf)
        {
            front.To(point, anchor == "centre-waist" ? "cf-waist" : anchor == "centre-hem" ? "cf-hem" : anchor);
        }

        foreach (var (point, anchor) in Enumerable.Reverse(frontHalf).Skip(1).SkipLast(1))
        {
            front.To(-point.X, point.Y, anchor is null ? null : "left-" + anchor);
        }

        var (frontNet, frontAnchors) = front.Close();
        var dartNotches = Enumerable.Range(1, darts).SelectMany(i => new[] { $"dart{i}-left", $"dart{i}-right" }).ToArray();
        var frontPiece = new PatternPiece("front", 1, false, frontNet, frontAnchors, style.SeamAllowance,
            JacketDraft.Line((0, hipDepth), (0, length - 60)),
            [JacketDraft.Line((-frontWidth, hipDepth), (frontWidth, hipDepth))],
            ["side-hip", "left-side-hip", .. dartNotches, .. dartNotches.Select(n => "left-" + n)]);

        var back = new OutlineBuilder();
        foreach (var (point, anchor) in backHalf)
        {
            back.To(point, anchor == "centre-waist" ? "cb-waist" : anchor == "centre-hem" ? "cb-hem" : anchor);
        }

        var (backNet, backAnchors) = back.Close();
        var backWidth = (hip / 4) - style.SideSeamShift;
        var backPiece = new PatternPiece("back", 2, true, backNet, backAnchors, style.SeamAllowance,
            JacketDraft.Line((backWidth / 2, hipDepth), (backWidth / 2, length - 60)),
            [JacketDraft.Line((0, hipDepth), (backWidth, hipDepth))],
            ["side-hip", .. dartNotches]);

        var targets = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["waist"] = waist,
            ["hip line"] = hip,
            ["length"] = length,
            ["waistband"] = waist + style.WaistbandOverlap,
        };
        return new Garment("skirt", [frontPiece, backPiece, Waistband(waist, style)], targets);
    }

    /// <summary>
    /// How a quarter's difference between hip and waist is taken in: the side seam up to
    /// <see cref="SkirtStyle.SideSuppression"/>, the rest by one dart, or two when one would open wider than
    /// <see cref="SkirtStyle.MaxDart"/>; beyond two full darts the side seam takes the remainder. A waist as large
    /// as the hip or larger gets no dart, its side seam slanting out to the waist.
    /// </summary>
    private static (int Count, double Gap) Darts(double suppression, SkirtStyle style)
    {
        var dart = Math.Min(suppression - style.SideSuppression, 2 * style.MaxDart);
        return dart <= 0 ? (0, 0) : dart <= style.MaxDart ? (1, dart) : (2, dart / 2);
    }

    /// <summary>
    /// Half a front or a back, centre at x = 0 and the side at +x, waist at the top (y down): from the centre waist
    /// along the waist edge (darts opening downward), down the side seam's hip curve to the hip line and the hem,
    /// and back to the centre hem.
    /// </summary>
    private static List<(Coordinate Point, string? Anchor)> Half(double hipWidth, double waistWidth, double centreDrop, double hipDepth, double length,
        int darts, double gap, double dartDepth, SkirtStyle style)
    {
        var points = new List<(Coordinate, string?)>();
        var centre = new Coordinate(0, centreDrop);
        var edge = waistWidth + (darts * gap);
        var rise = centreDrop + style.SideRise;
        var sideTop = new Coordinate(Math.Sqrt((edge * edge) - (rise * rise)), -style.SideRise);
        var (ux, uy) = ((sideTop.X - centre.X) / edge, (sideTop.Y - centre.Y) / edge);
        var (nx, ny) = (-uy, ux); // perpendicular to the waist edge, into the piece
        Coordinate Along(double d, double down = 0) => new(centre.X + (ux * d) + (nx * down), centre.Y + (uy * d) + (ny * down));

        points.Add((centre, "centre-waist"));
        double[] at = darts == 1 ? [0.5] : darts == 2 ? [0.35, 0.7] : [];
        for (var i = 0; i < darts; i++)
        {
            var left = (at[i] * waistWidth) - (gap / 2) + (i * gap);
            points.Add((Along(left), $"dart{i + 1}-left"));
            points.Add((Along(left + (gap / 2), dartDepth), $"dart{i + 1}-point"));
            points.Add((Along(left + gap), $"dart{i + 1}-right"));
        }

        points.Add((sideTop, "side-waist"));
        var hipPoint = new Coordinate(hipWidth, hipDepth);
        var drop = hipDepth + style.SideRise;
        var curve = Bezier.Cubic(sideTop, new Coordinate(sideTop.X + (0.3 * (hipWidth - sideTop.X)), sideTop.Y + (0.35 * drop)),
            new Coordinate(hipWidth, hipDepth - (0.4 * drop)), hipPoint).ToArray();
        points.AddRange(curve.SkipLast(1).Select(c => (c, (string?)null)));
        points.Add((hipPoint, "side-hip"));
        points.Add((new Coordinate(hipWidth, length), "side-hem"));
        points.Add((new Coordinate(0, length), "centre-hem"));
        return points;
    }

    /// <summary>
    /// The waistband, cut whole and folded lengthwise: the waist plus ease and the overlap at the back opening long,
    /// twice its depth wide, grain along its length; notches where the side seams and the centre front meet it.
    /// </summary>
    private static PatternPiece Waistband(double waist, SkirtStyle style)
    {
        var (o, q) = (style.WaistbandOverlap, waist / 4);
        var length = waist + o;
        var depth = 2 * style.WaistbandDepth;
        var (net, anchors) = new OutlineBuilder()
            .To(0, 0, "end-overlap")
            .To(o, 0, "cb-left")
            .To(o + q - style.SideSeamShift, 0, "side-left")
            .To(o + (2 * q), 0, "cf")
            .To(o + (3 * q) + style.SideSeamShift, 0, "side-right")
            .To(length, 0, "end")
            .To(length, depth, "end-fold")
            .To(0, depth, "end-overlap-fold")
            .Close();
        return new PatternPiece("waistband", 1, false, net, anchors, style.SeamAllowance,
            JacketDraft.Line((o, depth * 0.75), (length - o, depth * 0.75)),
            [JacketDraft.Line((0, style.WaistbandDepth), (length, style.WaistbandDepth))],
            ["cb-left", "side-left", "cf", "side-right"]);
    }
}
