using System.Globalization;
using System.Text;
using Millwright.Tailoring.Nesting;
using Millwright.Tailoring.Patterns;
using NetTopologySuite.Geometries;

namespace Millwright.Tailoring.Output;

/// <summary>
/// Writes pattern pieces as an ASCII DXF (AutoCAD R12 entities) laid out the AAMA/ASTM D6673 way: one BLOCK per
/// piece, layers by number (1 boundary = the cut line, with the piece system text; 4 notches; 7 grain line;
/// 8 internal lines; 14 sew line), and the marker as INSERTs of those blocks (mirror as x scale −1, rotation,
/// position). Units are millimetres. DXF's y axis points up, the pattern frame's down, so every y is negated (and
/// with it the sense of rotation).
/// </summary>
public static class DxfWriter
{
    public const string BoundaryLayer = "1";
    public const string NotchLayer = "4";
    public const string GrainLayer = "7";
    public const string InternalLayer = "8";
    public const string SewLayer = "14";
    public const double NotchDepth = 6;

    public static string Write(Marker marker, string style, string size)
    {
        var pieces = marker.Placements.Select(p => p.Piece).Distinct().ToArray();
        var dxf = new StringBuilder();
        Section(dxf, "HEADER", () =>
        {
            Pair(dxf, 9, "$ACADVER");
            Pair(dxf, 1, "AC1009");
            Pair(dxf, 9, "$INSUNITS");
            Pair(dxf, 70, "4");
        });
        Section(dxf, "TABLES", () =>
        {
            string[] layers = ["0", BoundaryLayer, NotchLayer, GrainLayer, InternalLayer, SewLayer];
            Pair(dxf, 0, "TABLE");
            Pair(dxf, 2, "LAYER");
            Pair(dxf, 70, layers.Length.ToString(CultureInfo.InvariantCulture));
            foreach (var layer in layers)
            {
                Pair(dxf, 0, "LAYER");
                Pair(dxf, 2, layer);
                Pair(dxf, 70, "0");
                Pair(dxf, 62, "7");
                Pair(dxf, 6, "CONTINUOUS");
            }

            Pair(dxf, 0, "ENDTAB");
        });
        Section(dxf, "BLOCKS", () =>
        {
            foreach (var piece in pieces)
            {
                Block(dxf, piece, style, size);
            }
        });
        Section(dxf, "ENTITIES", () =>
        {
            Text(dxf, BoundaryLayer, -100, 0, "Style Name: " + style);
            Text(dxf, BoundaryLayer, -100, -15, "Units: METRIC");
            foreach (var placement in marker.Placements)
            {
                Pair(dxf, 0, "INSERT");
                Pair(dxf, 8, "0");
                Pair(dxf, 2, BlockName(placement.Piece));
                Point(dxf, 10, placement.X, -placement.Y);
                if (placement.Mirrored)
                {
                    Pair(dxf, 41, "-1");
                }

                Pair(dxf, 50, Number(-placement.RotationDegrees));
            }
        });
        Pair(dxf, 0, "EOF");
        return dxf.ToString();
    }

    public static string BlockName(PatternPiece piece) => piece.Name.ToUpperInvariant();

    private static void Block(StringBuilder dxf, PatternPiece piece, string style, string size)
    {
        var name = BlockName(piece);
        Pair(dxf, 0, "BLOCK");
        Pair(dxf, 8, "0");
        Pair(dxf, 2, name);
        Pair(dxf, 70, "0");
        Point(dxf, 10, 0, 0);
        Pair(dxf, 3, name);
        Polyline(dxf, BoundaryLayer, piece.Cut.Shell.Coordinates, closed: true);
        Polyline(dxf, SewLayer, piece.Net.Shell.Coordinates, closed: true);
        Polyline(dxf, GrainLayer, piece.GrainLine.Coordinates, closed: false);
        foreach (var line in piece.InternalLines)
        {
            Polyline(dxf, InternalLayer, line.Coordinates, closed: false);
        }

        foreach (var notch in piece.Notches)
        {
            // A slit from the cut edge into the allowance, on the notch's normal.
            var edge = new Coordinate(notch.At.X - (notch.InwardX * piece.SeamAllowance), notch.At.Y - (notch.InwardY * piece.SeamAllowance));
            Pair(dxf, 0, "LINE");
            Pair(dxf, 8, NotchLayer);
            Point(dxf, 10, edge.X, -edge.Y);
            Point(dxf, 11, edge.X + (notch.InwardX * NotchDepth), -(edge.Y + (notch.InwardY * NotchDepth)));
        }

        var label = piece.Net.InteriorPoint.Coordinate;
        var lines = new[] { "Piece Name: " + piece.Name, "Style Name: " + style, "Size: " + size, "Quantity: " + piece.Quantity.ToString(CultureInfo.InvariantCulture) + (piece.MirroredPair ? " (pair)" : "") };
        for (var i = 0; i < lines.Length; i++)
        {
            Text(dxf, BoundaryLayer, label.X, -(label.Y + (i * 12)), lines[i]);
        }

        Pair(dxf, 0, "ENDBLK");
        Pair(dxf, 8, "0");
    }

    private static void Polyline(StringBuilder dxf, string layer, Coordinate[] points, bool closed)
    {
        // A closed polyline repeats no point: the closing edge is implied by flag 1.
        var count = closed && points.Length > 1 && points[0].Equals2D(points[^1]) ? points.Length - 1 : points.Length;
        Pair(dxf, 0, "POLYLINE");
        Pair(dxf, 8, layer);
        Pair(dxf, 66, "1");
        Point(dxf, 10, 0, 0);
        Pair(dxf, 70, closed ? "1" : "0");
        for (var i = 0; i < count; i++)
        {
            Pair(dxf, 0, "VERTEX");
            Pair(dxf, 8, layer);
            Point(dxf, 10, points[i].X, -points[i].Y);
        }

        Pair(dxf, 0, "SEQEND");
        Pair(dxf, 8, layer);
    }

    private static void Text(StringBuilder dxf, string layer, double x, double y, string text)
    {
        Pair(dxf, 0, "TEXT");
        Pair(dxf, 8, layer);
        Point(dxf, 10, x, y);
        Pair(dxf, 40, "8");
        Pair(dxf, 1, text.Replace('\n', ' ').Replace('\r', ' '));
    }

    private static void Section(StringBuilder dxf, string name, Action body)
    {
        Pair(dxf, 0, "SECTION");
        Pair(dxf, 2, name);
        body();
        Pair(dxf, 0, "ENDSEC");
    }

    private static void Point(StringBuilder dxf, int code, double x, double y)
    {
        Pair(dxf, code, Number(x));
        Pair(dxf, code + 10, Number(y));
        Pair(dxf, code + 20, "0");
    }

    private static string Number(double value) => (Math.Abs(value) < 5e-5 ? 0 : value).ToString("0.####", CultureInfo.InvariantCulture);

    // Group codes are right-aligned in three columns, as AutoCAD writes them; readers trim either way.
    private static void Pair(StringBuilder dxf, int code, string value) =>
        dxf.Append(code.ToString(CultureInfo.InvariantCulture).PadLeft(3)).Append('\n').Append(value).Append('\n');
}
