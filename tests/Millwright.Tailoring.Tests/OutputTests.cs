using System.Xml.Linq;
using Millwright.Tailoring.Nesting;
using Millwright.Tailoring.Output;
using Millwright.Tailoring.Patterns;
using NetTopologySuite.Geometries;

namespace Millwright.Tailoring.Tests;

public sealed class OutputTests
{
    [Theory]
    [InlineData("jacket")]
    [InlineData("trousers")]
    public void The_dxf_reads_back_as_the_pieces_on_aama_layers_and_the_marker_as_inserts(string garmentName)
    {
        var body = PatternBodies.Men[1].Body;
        var garment = garmentName == "jacket" ? JacketDraft.Draft(body) : TrouserDraft.Draft(body);
        var marker = BottomLeftNester.Nest(garment.Pieces, 1500);
        var dxf = DxfReader.Parse(DxfWriter.Write(marker, "test style", "104-176"));

        Assert.Equal("AC1009", dxf.Header["$ACADVER"]);
        Assert.Equal(garment.Pieces.Count, dxf.Blocks.Count);
        foreach (var piece in garment.Pieces)
        {
            var block = dxf.Blocks[piece.Name.ToUpperInvariant()].Entities;
            var boundary = Assert.Single(block, e => e is { Type: "POLYLINE", Layer: "1" });
            Assert.True(boundary.Closed);
            Same(piece.Cut.Shell.Coordinates, boundary.Points, Flip);
            var sew = Assert.Single(block, e => e is { Type: "POLYLINE", Layer: "14" });
            Same(piece.Net.Shell.Coordinates, sew.Points, Flip);
            var grain = Assert.Single(block, e => e.Layer == "7");
            Assert.False(grain.Closed);
            Same(piece.GrainLine.Coordinates, grain.Points, Flip);
            Assert.Equal(piece.InternalLines.Count, block.Count(e => e.Layer == "8"));
            Assert.Equal(piece.Notches.Count, block.Count(e => e is { Type: "LINE", Layer: "4" }));
            var texts = block.Where(e => e.Type == "TEXT").Select(e => e.Text).ToArray();
            Assert.Contains($"Piece Name: {piece.Name}", texts);
            Assert.Contains("Size: 104-176", texts);
        }

        // Each INSERT (x scale, rotation, position) puts its block's boundary where the marker placed that copy.
        var inserts = dxf.Entities.Where(e => e.Type == "INSERT").ToArray();
        Assert.Equal(marker.Placements.Count, inserts.Length);
        for (var i = 0; i < inserts.Length; i++)
        {
            var insert = inserts[i];
            var scale = insert.Codes.TryGetValue(41, out var s) ? DxfReader.Number(s) : 1;
            var angle = DxfReader.Number(insert.Codes[50]) * Math.PI / 180;
            var (x, y) = insert.Points[0];
            var block = dxf.Blocks[insert.Codes[2]].Entities.Single(e => e is { Type: "POLYLINE", Layer: "1" });
            var placed = block.Points.Select(p => (X: (p.X * scale * Math.Cos(angle)) - (p.Y * Math.Sin(angle)) + x, Y: (p.X * scale * Math.Sin(angle)) + (p.Y * Math.Cos(angle)) + y)).ToArray();
            Same(marker.Placements[i].Outline.Shell.Coordinates, placed, Flip);
        }
    }

    [Fact]
    public void The_svg_is_well_formed_with_each_piece_cut_and_sew_line_at_millimetre_scale()
    {
        var garment = JacketDraft.Draft(PatternBodies.Men[1].Body);
        var svg = XDocument.Parse(SvgWriter.Pieces(garment.Pieces, ["body 1 <&> caption"]));
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.EndsWith("mm", svg.Root!.Attribute("width")!.Value, StringComparison.Ordinal);
        Assert.Equal(garment.Pieces.Count, svg.Root.Elements(ns + "g").Count());
        Assert.Contains(svg.Descendants(ns + "text"), t => t.Value == "body 1 <&> caption");
        var marker = XDocument.Parse(SvgWriter.MarkerView(BottomLeftNester.Nest(garment.Pieces, 1500), ["marker"]));
        Assert.Equal(garment.Pieces.Sum(p => p.Quantity), marker.Descendants(ns + "text").Count(t => t.Value != "marker"));
    }

    private static (double X, double Y) Flip(Coordinate c) => (c.X, -c.Y);

    private static void Same(Coordinate[] expected, IReadOnlyList<(double X, double Y)> actual, Func<Coordinate, (double X, double Y)> map)
    {
        var open = expected.Length > 2 && expected[0].Equals2D(expected[^1]) ? expected[..^1] : expected;
        Assert.Equal(open.Length, actual.Count);
        for (var i = 0; i < open.Length; i++)
        {
            var (x, y) = map(open[i]);
            Assert.True(Math.Abs(x - actual[i].X) < 0.01 && Math.Abs(y - actual[i].Y) < 0.01, $"point {i}: expected ({x:0.###}, {y:0.###}), read ({actual[i].X:0.###}, {actual[i].Y:0.###})");
        }
    }
}
