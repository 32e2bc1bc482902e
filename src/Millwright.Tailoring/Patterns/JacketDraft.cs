using NetTopologySuite.Geometries;

namespace Millwright.Tailoring.Patterns;

/// <summary>
/// The men's jacket block: back, front, one-piece sleeve and collar (right half of the body), drafted from ANSUR II
/// measurements plus <see cref="JacketStyle"/> ease (docs/made-to-measure.md, "Pattern blocks"). Front and back share
/// one frame: the neck point at y = 0, so their chest, waist and hem lines are at the same heights.
/// </summary>
public static class JacketDraft
{
    private const double BackNeckRise = 20;

    public static Garment Draft(Measurements body, JacketStyle? style = null)
    {
        style ??= new JacketStyle();
        var half = (body["chestcircumference"] + style.ChestEase) / 2;
        var waistHalf = (body["waistcircumference"] + style.WaistEase) / 2;
        var hipHalf = (body["buttockcircumference"] + style.HipEase) / 2;
        var neckWidth = (body["neckcircumference"] / 6) + 5;
        var chestY = BackNeckRise + (body["cervicaleheight"] - body["axillaheight"]) + style.ScyeEase;
        var waistY = Math.Max(BackNeckRise + body["waistbacklength"], chestY + 60);
        var hemY = Math.Max(BackNeckRise + (body["cervicaleheight"] / 2), waistY + 100);
        var armholeWidth = half * 0.25;

        var backWidth = (half / 2) + 10;
        var frontWidth = (half / 2) - 10;
        var acrossBack = backWidth - (0.55 * armholeWidth);
        var acrossChest = frontWidth - (0.45 * armholeWidth);

        // Back: centre back down x = 0, side seam on the right.
        var backShoulder = new Coordinate(acrossBack + 15, (acrossBack + 15 - neckWidth) * Math.Tan(18 * Math.PI / 180));
        var shoulderLength = backShoulder.Distance(new Coordinate(neckWidth, 0));
        var backSide = new Coordinate(backWidth, chestY);
        var backArmhole = Bezier.Cubic(backSide, new Coordinate(acrossBack + (0.2 * (backWidth - acrossBack)), chestY), new Coordinate(acrossBack, backShoulder.Y + (0.5 * (chestY - backShoulder.Y))), backShoulder).ToArray();
        var backNeck = Bezier.Cubic(new Coordinate(neckWidth, 0), new Coordinate(neckWidth, BackNeckRise / 2), new Coordinate(neckWidth / 2, BackNeckRise), new Coordinate(0, BackNeckRise)).ToArray();
        var (backNet, backAnchors) = new OutlineBuilder()
            .To(0, BackNeckRise, "cb-neck")
            .To(0, waistY, "cb-waist")
            .To(0, hemY, "cb-hem")
            .To((hipHalf / 2) + 10, hemY, "side-hem")
            .To((waistHalf / 2) + 10, waistY, "side-waist")
            .To(backSide, "side-chest")
            .Curve(backArmhole, "shoulder")
            .To(neckWidth, 0, "neck")
            .Curve(backNeck)
            .Close();
        var back = new PatternPiece("back", 2, true, backNet, backAnchors, style.SeamAllowance, Line((backWidth * 0.45, chestY - 60), (backWidth * 0.45, hemY - 60)), [Line((0, chestY), (backWidth, chestY)), Line((0, waistY), ((waistHalf / 2) + 10, waistY))], ["side-waist", "shoulder", "cb-waist"]);

        // Front: centre front at x = 0, the button extension to the left of it, side seam on the right.
        var angle = 22 * Math.PI / 180;
        var frontShoulder = new Coordinate(neckWidth + (shoulderLength * Math.Cos(angle)), shoulderLength * Math.Sin(angle));
        var frontNeckDepth = (body["neckcircumference"] / 6) + 20;
        var frontSide = new Coordinate(frontWidth, chestY);
        var frontArmhole = Bezier.Cubic(frontSide, new Coordinate(acrossChest + (0.25 * (frontWidth - acrossChest)), chestY), new Coordinate(acrossChest, frontShoulder.Y + (0.55 * (chestY - frontShoulder.Y))), frontShoulder).ToArray();
        var frontNeck = Bezier.Cubic(new Coordinate(neckWidth, 0), new Coordinate(neckWidth, frontNeckDepth * 0.6), new Coordinate(neckWidth * 0.5, frontNeckDepth), new Coordinate(0, frontNeckDepth)).ToArray();
        var extension = style.ButtonExtension;
        var (frontNet, frontAnchors) = new OutlineBuilder()
            .To(-extension, frontNeckDepth, "edge-top")
            .To(-extension, waistY, "edge-waist")
            .To(-extension, hemY, "edge-hem")
            .To((hipHalf / 2) - 10, hemY, "side-hem")
            .To((waistHalf / 2) - 10, waistY, "side-waist")
            .To(frontSide, "side-chest")
            .Curve(frontArmhole, "shoulder")
            .To(neckWidth, 0, "neck")
            .Curve(frontNeck, "cf-neck")
            .Close();
        var front = new PatternPiece("front", 2, true, frontNet, frontAnchors, style.SeamAllowance, Line((frontWidth * 0.5, chestY - 60), (frontWidth * 0.5, hemY - 60)), [Line((0, frontNeckDepth), (0, hemY)), Line((0, chestY), (frontWidth, chestY)), Line((0, waistY), ((waistHalf / 2) - 10, waistY))], ["side-waist", "shoulder", "edge-waist"]);

        var armhole = Bezier.Length(backSide, backArmhole) + Bezier.Length(frontSide, frontArmhole);
        var sleeve = DraftSleeve(body, style, armhole + style.CrownEase);
        var neckline = 2 * (Bezier.Length(new Coordinate(neckWidth, 0), backNeck) + Bezier.Length(new Coordinate(neckWidth, 0), frontNeck));
        var collar = DraftCollar(neckline, style);

        var targets = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["chest line (half)"] = half,
            ["waist line (half)"] = waistHalf,
            ["sleeve length"] = body["sleeveoutseam"] + style.SleeveLengthEase,
            ["sleeve crown"] = armhole + style.CrownEase,
            ["collar neck edge"] = neckline,
            ["shoulder"] = shoulderLength,
        };
        return new Garment("jacket", [front, back, sleeve, collar], targets);
    }

    private static PatternPiece DraftSleeve(Measurements body, JacketStyle style, double crown)
    {
        var width = body["bicepscircumferenceflexed"] + style.BicepsEase;
        var hemWidth = Math.Min(body["wristcircumference"] + style.CuffEase, width * 0.9);
        var length = body["sleeveoutseam"] + style.SleeveLengthEase;
        // A crown shorter than the sleeve is wide cannot be drawn: the sleeve narrows until it can (very wide arms
        // in a small armhole; docs say so).
        while (CrownLength(width, 1) >= crown)
        {
            width *= 0.95;
        }

        var height = Bezier.Solve(h => CrownLength(width, h), crown, 1, 3 * width);
        if (height >= length - 50)
        {
            throw new ArgumentException("the sleeve crown would reach below the elbow: the armhole is too long for the sleeve length");
        }

        var (left, right) = CrownHalves(width, height);
        var (net, anchors) = new OutlineBuilder()
            .To(0, 0, "crown-top")
            .Curve(right.Reverse().Skip(1).Append(new Coordinate(width / 2, height)), "front-underarm")
            .To(hemWidth / 2, length, "front-hem")
            .To(0, length, "hem-centre")
            .To(-hemWidth / 2, length, "back-hem")
            .To(-width / 2, height, "back-underarm")
            .Curve(left, "crown-top-end")
            .Close();
        // Pitch points: the front one two thirds of the way from the crown top to the underarm, the back one a third of
        // the way up from the underarm (the outline runs crown top, front, hem, back).
        var a = new Dictionary<string, int>(anchors) { ["front-pitch"] = right.Length * 2 / 3, ["back-pitch"] = anchors["back-underarm"] + (left.Length / 3) };
        return new PatternPiece("sleeve", 2, true, net, a, style.SeamAllowance, Line((0, height + 40), (0, length - 60)), [Line((-width / 2, height), (width / 2, height))], ["crown-top", "front-pitch", "back-pitch"]);
    }

    private static (Coordinate[] Left, Coordinate[] Right) CrownHalves(double width, double height)
    {
        var w = width / 2;
        var left = Bezier.Cubic(new Coordinate(-w, height), new Coordinate(-w + (0.35 * w), height), new Coordinate(-0.4 * w, 0), new Coordinate(0, 0)).ToArray();
        var right = left.Select(c => new Coordinate(-c.X, c.Y)).ToArray();
        return (left, right);
    }

    private static double CrownLength(double width, double height)
    {
        var (left, _) = CrownHalves(width, height);
        return 2 * Bezier.Length(new Coordinate(-width / 2, height), left);
    }

    private static PatternPiece DraftCollar(double neckline, JacketStyle style)
    {
        // Cut whole (not on the fold), so nesting sees the real piece: the neck edge along y = depth, CB at x = 0.
        var half = neckline / 2;
        var depth = style.CollarDepth;
        var (net, anchors) = new OutlineBuilder()
            .To(-half, depth, "neck-left")
            .To(0, depth, "cb-neck")
            .To(half, depth, "neck-right")
            .To(half + 35, 0, "point-right")
            .To(-half - 35, 0, "point-left")
            .Close();
        return new PatternPiece("collar", 2, false, net, anchors, style.SeamAllowance, Line((0, depth - 10), (0, 10)), [], ["cb-neck"]);
    }

    internal static LineString Line((double X, double Y) from, (double X, double Y) to) =>
        Geometry.DefaultFactory.CreateLineString([new Coordinate(from.X, from.Y), new Coordinate(to.X, to.Y)]);
}
