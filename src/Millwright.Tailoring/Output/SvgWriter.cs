using System.Globalization;
using System.Security;
using System.Text;
using Millwright.Tailoring.Nesting;
using Millwright.Tailoring.Patterns;
using NetTopologySuite.Geometries;

namespace Millwright.Tailoring.Output;

/// <summary>
/// SVG for a person: each piece once, side by side at full scale (1 user unit = 1 mm), with the cut line (solid),
/// sew line (dashed), internal lines, the grain line as an arrow, notches as ticks through the allowance, and the
/// piece's name and quantity; and the marker, every cut copy where it lies on the fabric.
/// </summary>
public static class SvgWriter
{
    private const double Gap = 40;

    public static string Pieces(IReadOnlyList<PatternPiece> pieces, IReadOnlyList<string> caption)
    {
        var body = new StringBuilder();
        var x = Gap;
        var height = 0.0;
        var top = Gap + (caption.Count * 14);
        foreach (var piece in pieces)
        {
            var e = piece.Cut.EnvelopeInternal;
            var (dx, dy) = (x - e.MinX, top - e.MinY);
            body.Append(CultureInfo.InvariantCulture, $"<g transform=\"translate({N(dx)} {N(dy)})\">\n");
            Piece(body, piece);
            body.Append("</g>\n");
            x += e.Width + Gap;
            height = Math.Max(height, e.Height);
        }

        return Document(x, top + height + Gap, caption, body.ToString());
    }

    public static string MarkerView(Marker marker, IReadOnlyList<string> caption)
    {
        var body = new StringBuilder();
        var top = Gap + (caption.Count * 14);
        body.Append(CultureInfo.InvariantCulture, $"<rect x=\"{N(Gap)}\" y=\"{N(top)}\" width=\"{N(marker.Length)}\" height=\"{N(marker.Width)}\" fill=\"#f4f0e6\" stroke=\"#999\"/>\n");
        body.Append(CultureInfo.InvariantCulture, $"<g transform=\"translate({N(Gap)} {N(top)})\">\n");
        foreach (var placement in marker.Placements)
        {
            body.Append(CultureInfo.InvariantCulture, $"<path d=\"{Path(placement.Outline.Shell.Coordinates)}\" fill=\"#cfe0f0\" stroke=\"#000\" stroke-width=\"0.8\"/>\n");
            body.Append(CultureInfo.InvariantCulture, $"<path d=\"{Path(placement.Place(placement.Piece.GrainLine).Coordinates, closed: false)}\" stroke=\"#06c\" stroke-width=\"0.8\" fill=\"none\"/>\n");
            var label = placement.Outline.InteriorPoint.Coordinate;
            body.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(label.X)}\" y=\"{N(label.Y)}\" font-size=\"14\" text-anchor=\"middle\">{Escape(placement.Piece.Name)}{(placement.Mirrored ? " (L)" : "")}</text>\n");
        }

        body.Append("</g>\n");
        return Document(marker.Length + (2 * Gap), top + marker.Width + Gap, caption, body.ToString());
    }

    private static void Piece(StringBuilder svg, PatternPiece piece)
    {
        svg.Append(CultureInfo.InvariantCulture, $"<path d=\"{Path(piece.Cut.Shell.Coordinates)}\" fill=\"#f4f0e6\" stroke=\"#000\" stroke-width=\"0.8\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<path d=\"{Path(piece.Net.Shell.Coordinates)}\" fill=\"none\" stroke=\"#555\" stroke-width=\"0.5\" stroke-dasharray=\"4 3\"/>\n");
        foreach (var line in piece.InternalLines)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<path d=\"{Path(line.Coordinates, closed: false)}\" fill=\"none\" stroke=\"#888\" stroke-width=\"0.4\"/>\n");
        }

        var g = piece.GrainLine.Coordinates;
        svg.Append(CultureInfo.InvariantCulture, $"<path d=\"{Path(g, closed: false)}{Arrow(g[1], g[0])}{Arrow(g[0], g[1])}\" fill=\"none\" stroke=\"#06c\" stroke-width=\"0.8\"/>\n");
        foreach (var notch in piece.Notches)
        {
            var from = new Coordinate(notch.At.X - (notch.InwardX * piece.SeamAllowance), notch.At.Y - (notch.InwardY * piece.SeamAllowance));
            var to = new Coordinate(notch.At.X + (notch.InwardX * 3), notch.At.Y + (notch.InwardY * 3));
            svg.Append(CultureInfo.InvariantCulture, $"<path d=\"M{N(from.X)} {N(from.Y)}L{N(to.X)} {N(to.Y)}\" stroke=\"#c00\" stroke-width=\"1\"/>\n");
        }

        var label = piece.Net.InteriorPoint.Coordinate;
        var quantity = piece.Quantity.ToString(CultureInfo.InvariantCulture) + (piece.MirroredPair ? " (pair)" : "");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(label.X)}\" y=\"{N(label.Y)}\" font-size=\"16\" text-anchor=\"middle\">{Escape(piece.Name)}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(label.X)}\" y=\"{N(label.Y + 18)}\" font-size=\"12\" text-anchor=\"middle\">cut {quantity}</text>\n");
    }

    private static string Document(double width, double height, IReadOnlyList<string> caption, string body)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{N(width)}mm\" height=\"{N(height)}mm\" viewBox=\"0 0 {N(width)} {N(height)}\">\n");
        svg.Append("<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n");
        for (var i = 0; i < caption.Count; i++)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(Gap)}\" y=\"{N(Gap + (i * 14))}\" font-size=\"12\">{Escape(caption[i])}</text>\n");
        }

        svg.Append(body).Append("</svg>\n");
        return svg.ToString();
    }

    private static string Arrow(Coordinate from, Coordinate tip)
    {
        var (dx, dy) = (tip.X - from.X, tip.Y - from.Y);
        var length = Math.Sqrt((dx * dx) + (dy * dy));
        (dx, dy) = (dx / length * 8, dy / length * 8);
        return $"M{N(tip.X - dx - (dy / 2))} {N(tip.Y - dy + (dx / 2))}L{N(tip.X)} {N(tip.Y)}L{N(tip.X - dx + (dy / 2))} {N(tip.Y - dy - (dx / 2))}";
    }

    private static string Path(Coordinate[] points, bool closed = true)
    {
        var d = new StringBuilder();
        for (var i = 0; i < points.Length; i++)
        {
            d.Append(i == 0 ? 'M' : 'L').Append(N(points[i].X)).Append(' ').Append(N(points[i].Y));
        }

        return closed ? d.Append('Z').ToString() : d.ToString();
    }

    private static string Escape(string text) => SecurityElement.Escape(text);

    private static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
