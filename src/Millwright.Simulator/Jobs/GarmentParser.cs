using System.Text.Json;

namespace Millwright.Simulator.Jobs;

/// <summary>
/// <c>customization.tailoring</c> of a job command (docs/made-to-measure.md, "Order to machine"): the garment, its
/// piece count and lengths, and the DXF and marker as files on the platform (a path, never an absolute URL: the
/// machine's credential goes only to the platform it was provisioned on). Part of <see cref="JobCommandParser"/>,
/// so nothing here throws: a bad field is the error naming it.
/// </summary>
internal static class GarmentParser
{
    public const int MaxPieces = 1000;
    public const double MaxLengthMm = 10_000_000;
    public const int MaxFileBytes = 16 * 1024 * 1024;

    public static (GarmentReference? Garment, string? Error) Read(JsonElement root)
    {
        if (!root.TryGetProperty("customization", out var c) || c.ValueKind != JsonValueKind.Object
            || !c.TryGetProperty("tailoring", out var t) || t.ValueKind == JsonValueKind.Null)
        {
            return (null, null);
        }

        const string at = "customization.tailoring";
        if (t.ValueKind != JsonValueKind.Object)
        {
            return (null, $"{at}: an object naming the garment");
        }

        var garment = t.TryGetProperty("garment", out var g) ? JobCommandParser.Text(g) : null;
        if (garment is not { Length: > 0 and <= 64 })
        {
            return (null, $"{at}.garment: a name of 1 to 64 characters");
        }

        if (!t.TryGetProperty("pieces", out var p) || p.ValueKind != JsonValueKind.Number || !p.TryGetInt32(out var pieces) || pieces is < 1 or > MaxPieces)
        {
            return (null, $"{at}.pieces: a whole number from 1 to {MaxPieces}");
        }

        var (cut, cutError) = Length(t, $"{at}.cutLengthMm", "cutLengthMm");
        var (seam, seamError) = Length(t, $"{at}.seamLengthMm", "seamLengthMm");
        var (dxf, dxfError) = File(t, $"{at}.dxf", "dxf");
        var (marker, markerError) = File(t, $"{at}.marker", "marker");
        var error = cutError ?? seamError ?? dxfError ?? markerError;
        return error is null ? (new GarmentReference(garment, pieces, cut, seam, dxf!, marker!), null) : (null, error);
    }

    private static (double Mm, string? Error) Length(JsonElement t, string path, string field) =>
        t.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var mm) && double.IsFinite(mm) && mm is > 0 and <= MaxLengthMm
            ? (mm, null)
            : (0, $"{path}: a length in mm, more than 0 and at most {MaxLengthMm:0}");

    private static (PlatformFile? File, string? Error) File(JsonElement t, string path, string field)
    {
        if (!t.TryGetProperty(field, out var f) || f.ValueKind != JsonValueKind.Object)
        {
            return (null, $"{path}: an object with sha256, url and bytes");
        }

        var sha = f.TryGetProperty("sha256", out var h) ? JobCommandParser.Text(h) : null;
        if (sha is not { Length: 64 } || !sha.All(char.IsAsciiHexDigitLower))
        {
            return (null, $"{path}.sha256: 64 lower-case hex digits");
        }

        var url = f.TryGetProperty("url", out var u) ? JobCommandParser.Text(u) : null;
        if (url is not { Length: > 1 and <= 500 } || url[0] != '/' || url.StartsWith("//", StringComparison.Ordinal) || url.Contains('\\', StringComparison.Ordinal))
        {
            return (null, $"{path}.url: a path on the platform, such as /api/v1/c2m/files/{{sha256}}");
        }

        if (!f.TryGetProperty("bytes", out var b) || b.ValueKind != JsonValueKind.Number || !b.TryGetInt64(out var bytes) || bytes is < 1 or > MaxFileBytes)
        {
            return (null, $"{path}.bytes: a whole number from 1 to {MaxFileBytes}");
        }

        return (new PlatformFile(sha, url, bytes), null);
    }
}
