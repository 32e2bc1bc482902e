using System.Text.Json;

namespace Millwright.Simulator.Jobs;

/// <summary>
/// Reads a marker (<c>millwright-marker/1</c> JSON) and checks it against the DXF fetched with it. The bytes come
/// from the network, so nothing here throws anything but <see cref="MarkerFormatException"/>: a wrong format, a
/// missing or out-of-range field, or a DXF whose marker does not place as many pieces (INSERTs) as the marker lists.
/// </summary>
internal static class MarkerReader
{
    public const string Format = "millwright-marker/1";
    public const int MaxPieces = 1000;
    public const double MaxLengthMm = 1_000_000;

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 8 };

    public static CutPlan Read(byte[] marker, byte[] dxf)
    {
        var plan = Parse(marker);
        var inserts = CountInserts(dxf);
        if (inserts != plan.Pieces.Count)
        {
            throw new MarkerFormatException($"the DXF places {inserts} pieces, the marker lists {plan.Pieces.Count}");
        }

        return plan;
    }

    public static CutPlan Parse(byte[] marker)
    {
        try
        {
            using var document = JsonDocument.Parse(marker, Options);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var f) || f.ValueKind != JsonValueKind.String || f.GetString() != Format)
            {
                throw new MarkerFormatException($"not a marker: format must be \"{Format}\"");
            }

            var garment = root.TryGetProperty("garment", out var g) && g.ValueKind == JsonValueKind.String ? g.GetString() ?? "" : "";
            var width = Length(root, "widthMm");
            var length = Length(root, "lengthMm");
            if (!root.TryGetProperty("pieces", out var pieces) || pieces.ValueKind != JsonValueKind.Array || pieces.GetArrayLength() is 0 or > MaxPieces)
            {
                throw new MarkerFormatException($"pieces: an array of 1 to {MaxPieces} pieces");
            }

            var list = new List<CutPiece>(pieces.GetArrayLength());
            foreach (var piece in pieces.EnumerateArray())
            {
                if (piece.ValueKind != JsonValueKind.Object || !piece.TryGetProperty("piece", out var n) || n.ValueKind != JsonValueKind.String
                    || n.GetString() is not { Length: > 0 and <= 64 } name)
                {
                    throw new MarkerFormatException($"pieces[{list.Count}].piece: a name of 1 to 64 characters");
                }

                list.Add(new CutPiece(name, Length(piece, "cutLengthMm")));
            }

            return new CutPlan(garment, width, length, list);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            throw new MarkerFormatException($"not a marker: {e.Message}");
        }
    }

    /// <summary>INSERT entities (a <c>0</c> group code followed by <c>INSERT</c>): one per piece placed on the marker.</summary>
    public static int CountInserts(byte[] dxf)
    {
        var lines = System.Text.Encoding.UTF8.GetString(dxf).Split('\n');
        var count = 0;
        for (var i = 0; i + 1 < lines.Length; i += 2)
        {
            if (lines[i].Trim() == "0" && lines[i + 1].Trim() == "INSERT")
            {
                count++;
            }
        }

        return count;
    }

    private static double Length(JsonElement element, string field)
    {
        if (!element.TryGetProperty(field, out var v) || v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var mm) || !double.IsFinite(mm) || mm is <= 0 or > MaxLengthMm)
        {
            throw new MarkerFormatException($"{field}: a length in mm, more than 0 and at most {MaxLengthMm:0}");
        }

        return mm;
    }
}
