using Millwright.Tailoring.Nesting;
using Millwright.Tailoring.Patterns;

namespace Millwright.Tailoring.Tests;

/// <summary>The women's blocks on real ANSUR II women: the straight skirt, and the trousers drafted for women's bodies.</summary>
public sealed class SkirtTests
{
    [Fact]
    public void Every_womens_piece_for_every_tested_body_is_a_closed_simple_outline_inside_its_seam_allowance()
    {
        foreach (var (id, body) in PatternBodies.Women)
        {
            foreach (var piece in SkirtDraft.Draft(body).Pieces.Concat(TrouserDraft.Draft(body).Pieces))
            {
                PieceChecks.WellFormed(piece, $"woman {id}, {piece.Name}");
            }
        }
    }

    [Fact]
    public void Skirt_lines_are_the_body_plus_ease_within_a_millimetre()
    {
        var style = new SkirtStyle();
        foreach (var (id, body) in PatternBodies.Women)
        {
            var skirt = SkirtDraft.Draft(body, style);
            var (front, back, band) = (skirt["front"], skirt["back"], skirt["waistband"]);
            var waist = body["waistcircumference"] + style.WaistEase;
            var hip = body["buttockcircumference"] + style.HipEase;

            // Sewn, the waist is the edge less the darts' openings: the whole front and two back halves.
            var sewnFront = Sewn(front, "cf-waist", "side-waist") + Sewn(front, "left-side-waist", "cf-waist");
            PatternTests.Within(waist, sewnFront + (2 * Sewn(back, "cb-waist", "side-waist")), $"woman {id} waist");
            PatternTests.Within(waist + style.WaistbandOverlap, Measure.Along(band.Net, band.Point("end-overlap"), band.Point("end")), $"woman {id} waistband");
            var hipY = front.Point("side-hip").Y;
            Assert.Equal(hipY, back.Point("side-hip").Y, 9);
            Assert.True(hipY >= SkirtDraft.MinHipDepth, $"woman {id}: hip line {hipY:0.0} mm below the waist");
            PatternTests.Within(hip, Measure.WidthAt(front.Net, hipY) + (2 * Measure.WidthAt(back.Net, hipY)), $"woman {id} hip line");
            PatternTests.Within(body["waistheightomphalion"] - body["kneeheightmidpatella"] + style.BelowKnee, Measure.HeightAt(front.Net, 0), $"woman {id} centre front length");

            // Front and back side seams are sewn together, and each dart's legs to each other.
            var frontSide = Measure.Along(front.Net, front.Point("side-waist"), front.Point("side-hem"));
            PatternTests.Within(frontSide, Measure.Along(back.Net, back.Point("side-waist"), back.Point("side-hem")), $"woman {id} side seams");
            PatternTests.Within(frontSide, Measure.Along(front.Net, front.Point("left-side-hem"), front.Point("left-side-waist")), $"woman {id} front side seams");
            foreach (var piece in new[] { front, back })
            {
                foreach (var dart in piece.Anchors.Keys.Where(a => a.StartsWith("dart", StringComparison.Ordinal) && a.EndsWith("-point", StringComparison.Ordinal)))
                {
                    var name = dart[..^"-point".Length];
                    var left = piece.Point(name + "-left").Distance(piece.Point(dart));
                    var right = piece.Point(dart).Distance(piece.Point(name + "-right"));
                    Assert.True(Math.Abs(left - right) < 1e-6, $"woman {id} {piece.Name} {name}: legs {left:0.000} and {right:0.000} mm");
                    Assert.True(piece.Point(dart).Y < hipY, $"woman {id} {piece.Name} {name} ends below the hip line");
                }
            }
        }
    }

    [Fact]
    public void A_skirt_nests_on_the_fabric_with_its_back_as_a_left_and_a_right()
    {
        var body = PatternBodies.Women[0].Body;
        var marker = BottomLeftNester.Nest(SkirtDraft.Draft(body).Pieces, 1500);
        Assert.Equal(4, marker.Placements.Count);
        Assert.Single(marker.Placements, p => p.Piece.Name == "back" && p.Mirrored);
        Assert.InRange(marker.Efficiency, 0.5, 1.0);
    }

    [Fact]
    public void Only_the_blocks_of_a_body_sex_are_drafted_for_it()
    {
        var woman = PatternBodies.Women[0].Body;
        Assert.Equal("skirt", GarmentBlocks.Draft("skirt", Sex.Female, woman).Name);
        Assert.Equal("trousers", GarmentBlocks.Draft("trousers", Sex.Female, woman).Name);
        var e = Assert.Throws<ArgumentException>(() => GarmentBlocks.Draft("jacket", Sex.Female, woman));
        Assert.Contains("skirt or trousers", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => GarmentBlocks.Draft("skirt", Sex.Male, PatternBodies.Men[0].Body));
    }

    /// <summary>The waist edge from one anchor to another less every dart opening on the way: what it measures sewn.</summary>
    private static double Sewn(PatternPiece piece, string from, string to)
    {
        var along = Measure.Along(piece.Net, piece.Point(from), piece.Point(to));
        var (start, end) = (piece.Anchors[from], piece.Anchors[to]);
        foreach (var (name, index) in piece.Anchors.Where(a => a.Key.EndsWith("-point", StringComparison.Ordinal)))
        {
            var inside = start <= end ? index > start && index < end : index > start || index < end;
            if (inside)
            {
                var stem = name[..^"-point".Length];
                var (left, right) = (piece.Point(stem + "-left"), piece.Point(stem + "-right"));
                along -= left.Distance(piece.Point(name)) + piece.Point(name).Distance(right);
            }
        }

        return along;
    }
}
