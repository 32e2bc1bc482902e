using Millwright.Tailoring.Nesting;
using Millwright.Tailoring.Patterns;

namespace Millwright.Tailoring.Tests;

public sealed class NestingTests
{
    public static TheoryData<int, string, double> Orders => new()
    {
        { 0, "jacket", 1500 },
        { 1, "trousers", 1500 },
        { 2, "jacket", 1400 },
        { 3, "trousers", 1100 },
        { 4, "jacket", 1100 },
    };

    [Theory]
    [MemberData(nameof(Orders))]
    public void Every_copy_is_placed_without_overlap_within_the_width_with_its_grain_along_the_warp(int index, string garmentName, double width)
    {
        // Bodies at the extremes too: the list is sorted by row, so spread the picks over it.
        var bodies = PatternBodies.Men;
        var body = bodies[index * (bodies.Count - 1) / 4].Body;
        var garment = garmentName == "jacket" ? JacketDraft.Draft(body) : TrouserDraft.Draft(body);
        var marker = BottomLeftNester.Nest(garment.Pieces, width);
        Valid(marker, garment, width);
    }

    [Theory]
    [MemberData(nameof(Orders))]
    public void The_search_lays_out_as_validly_and_never_longer_than_greedy(int index, string garmentName, double width)
    {
        var bodies = PatternBodies.Men;
        var body = bodies[index * (bodies.Count - 1) / 4].Body;
        var garment = garmentName == "jacket" ? JacketDraft.Draft(body) : TrouserDraft.Draft(body);
        var greedy = BottomLeftNester.Nest(garment.Pieces, width);

        var searched = MarkerSearch.Nest(garment.Pieces, width, evaluations: 40);

        Valid(searched, garment, width);
        Assert.True(searched.Length <= greedy.Length + 1e-9, $"search {searched.Length:0.0} mm, greedy {greedy.Length:0.0} mm");
        var again = MarkerSearch.Nest(garment.Pieces, width, evaluations: 40);
        Assert.Equal(searched.Placements.Select(p => (p.Piece.Name, p.X, p.Y, p.RotationDegrees)), again.Placements.Select(p => (p.Piece.Name, p.X, p.Y, p.RotationDegrees)));
    }

    private static void Valid(Marker marker, Garment garment, double width)
    {
        Assert.Equal(garment.Pieces.Sum(p => p.Quantity), marker.Placements.Count);
        var outlines = marker.Placements.Select(p => p.Outline).ToArray();
        for (var i = 0; i < outlines.Length; i++)
        {
            var e = outlines[i].EnvelopeInternal;
            Assert.True(e.MinY >= -1e-6 && e.MaxY <= width + 1e-6 && e.MinX >= -1e-6 && e.MaxX <= marker.Length + 1e-6, $"{marker.Placements[i].Piece.Name} leaves the marker");
            Assert.Equal(marker.Placements[i].Piece.Cut.Area, outlines[i].Area, 6);
            for (var j = i + 1; j < outlines.Length; j++)
            {
                Assert.True(outlines[i].Intersection(outlines[j]).Area < 1e-6, $"{marker.Placements[i].Piece.Name} overlaps {marker.Placements[j].Piece.Name}");
            }

            var grain = marker.Placements[i].Place(marker.Placements[i].Piece.GrainLine).Coordinates;
            Assert.True(Math.Abs(grain[^1].Y - grain[0].Y) < 1e-6, $"{marker.Placements[i].Piece.Name}: grain line not along the warp");
        }

        foreach (var pair in marker.Placements.Where(p => p.Piece.MirroredPair).GroupBy(p => p.Piece))
        {
            Assert.Equal(1, pair.Count(p => p.Mirrored));
        }

        Assert.Equal(outlines.Sum(o => o.Area) / (marker.Length * width), marker.Efficiency, 9);
        Assert.InRange(marker.Efficiency, 0.4, 1.0);
    }

    [Fact]
    public void A_piece_longer_than_the_fabric_is_wide_is_refused()
    {
        var garment = TrouserDraft.Draft(PatternBodies.Men[0].Body);
        var e = Assert.Throws<ArgumentException>(() => BottomLeftNester.Nest(garment.Pieces, 300));
        Assert.Contains("does not fit", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_is_deterministic()
    {
        var garment = JacketDraft.Draft(PatternBodies.Men[5].Body);
        var a = BottomLeftNester.Nest(garment.Pieces, 1500);
        var b = BottomLeftNester.Nest(garment.Pieces, 1500);
        Assert.Equal(a.Placements.Select(p => (p.Piece.Name, p.X, p.Y, p.RotationDegrees)), b.Placements.Select(p => (p.Piece.Name, p.X, p.Y, p.RotationDegrees)));
    }
}
