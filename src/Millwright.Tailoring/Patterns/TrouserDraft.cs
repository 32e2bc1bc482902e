using NetTopologySuite.Geometries;

namespace Millwright.Tailoring.Patterns;

/// <summary>
/// The men's trouser block: front and back (one leg), drafted from ANSUR II measurements plus
/// <see cref="TrouserStyle"/> ease. Each piece has the crotch line at y = 0; the hem is placed so the inseam has its
/// length, then the waist so the outseam has its length (both walked along the drafted seam, curves included), so
/// front and back seams match and the rise follows from the two lengths.
/// </summary>
public static class TrouserDraft
{
    public static Garment Draft(Measurements body, TrouserStyle? style = null)
    {
        style ??= new TrouserStyle();
        var hip = body["buttockcircumference"] + style.HipEase;
        var waist = body["waistcircumference"] + style.WaistEase;
        var outseam = body["waistheightomphalion"] + style.OutseamEase;
        var inseam = body["crotchheight"] + style.InseamEase;
        var hipDepth = body["waistheightomphalion"] - body["buttockheight"];
        var hemGirth = (0.36 * hip) + 60;
        var front = Leg("front", (hip / 4) - 10, hip / 20, (waist / 4) - 10, 0, (hemGirth / 2) - 20, hipDepth, outseam, inseam, style.SeamAllowance);
        var back = Leg("back", (hip / 4) + 10, hip / 10, (waist / 4) + 10, 30, (hemGirth / 2) + 20, hipDepth, outseam, inseam, style.SeamAllowance);
        var targets = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["waist (half)"] = waist / 2,
            ["hip line (half)"] = hip / 2,
            ["outseam"] = outseam,
            ["inseam"] = inseam,
        };
        return new Garment("trousers", [front, back], targets);
    }

    /// <summary>
    /// One leg piece: side seam on the left (x = 0 at the hip line), centre seam on the right ending in the fork.
    /// <paramref name="waistRaise"/> lifts the centre end of the waist (the back's seat angle) without changing the
    /// waist edge's length.
    /// </summary>
    private static PatternPiece Leg(string name, double hipWidth, double fork, double waistWidth, double waistRaise, double hemWidth, double hipDepth, double outseam, double inseam, double seamAllowance)
    {
        var crotch = new Coordinate(hipWidth + fork, 0);
        var crease = (hipWidth + fork) / 2;
        var kneeWidth = hemWidth + 20;
        Coordinate Knee(double hemY, double side) => new(crease + (side * kneeWidth / 2), 0.45 * hemY);

        var hemY = Bezier.Solve(y => crotch.Distance(Knee(y, 1)) + Knee(y, 1).Distance(new Coordinate(crease + (hemWidth / 2), y)), inseam, 10, 4 * inseam);
        var kneeOut = Knee(hemY, -1);
        var hemOut = new Coordinate(crease - (hemWidth / 2), hemY);
        var centreTopX = hipWidth - (waistRaise > 0 ? 35 : 10);
        var sideTopX = centreTopX - Math.Sqrt(Math.Max((waistWidth * waistWidth) - (waistRaise * waistRaise), 1));

        Coordinate[] SideCurve(double top)
        {
            var hipY = -top + Math.Min(hipDepth, 0.8 * top);
            return Bezier.Cubic(new Coordinate(sideTopX, -top), new Coordinate(sideTopX, -top + (0.3 * (hipY + top))), new Coordinate(0, hipY - (0.4 * (hipY + top))), new Coordinate(0, hipY)).ToArray();
        }

        double Outseam(double top)
        {
            var curve = SideCurve(top);
            return Bezier.Length(new Coordinate(sideTopX, -top), curve) + curve[^1].Distance(new Coordinate(0, 0)) + new Coordinate(0, 0).Distance(kneeOut) + kneeOut.Distance(hemOut);
        }

        var top = Bezier.Solve(Outseam, outseam, 50, 2 * outseam);
        var side = SideCurve(top);
        var hipLineY = side[^1].Y;
        var crotchCurve = Bezier.Cubic(crotch, new Coordinate(hipWidth + (0.4 * fork), 0), new Coordinate(hipWidth, 0.4 * hipLineY), new Coordinate(hipWidth, hipLineY)).ToArray();
        var (net, anchors) = new OutlineBuilder()
            .To(centreTopX, -top - waistRaise, "centre-waist")
            .To(sideTopX, -top, "side-waist")
            .Curve(side, "side-hip")
            .To(0, 0, "side-crotch")
            .To(kneeOut, "side-knee")
            .To(hemOut, "side-hem")
            .To(crease, hemY, "hem-crease")
            .To(crease + (hemWidth / 2), hemY, "inside-hem")
            .To(Knee(hemY, 1), "inside-knee")
            .To(crotch, "crotch")
            .Curve(crotchCurve, "centre-hip")
            .Close();
        var grain = JacketDraft.Line((crease, hipLineY), (crease, hemY - 60));
        var lines = new[] { JacketDraft.Line((0, hipLineY), (hipWidth, hipLineY)), JacketDraft.Line((0, 0), (hipWidth + fork, 0)), JacketDraft.Line((kneeOut.X, kneeOut.Y), (crease + (kneeWidth / 2), kneeOut.Y)) };
        return new PatternPiece(name, 2, true, net, anchors, seamAllowance, grain, lines, ["side-hip", "side-knee", "inside-knee", "centre-hip"]);
    }
}
